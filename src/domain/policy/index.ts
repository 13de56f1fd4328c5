export * from './schema.ts';
export { PRESETS } from './presets/index.ts';
export { definePreset, type PresetDefinition } from './define.ts';
export { resolvePolicy, applyOverrides, presetById, PolicyError } from './resolve.ts';
