import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('the time-of-record skew defaults to 2 min ahead, 10 behind, and is read in seconds', () => {
    expect(loadConfig({}).recordTime).toEqual({ aheadMs: 120_000, behindMs: 600_000 });
    expect(loadConfig({ GUISHU_CLOCK_AHEAD_S: '30', GUISHU_CLOCK_BEHIND_S: '300' }).recordTime).toEqual({ aheadMs: 30_000, behindMs: 300_000 });
    expect(() => loadConfig({ GUISHU_CLOCK_BEHIND_S: '-1' })).toThrow(ConfigError);
  });

  it('GUISHU_TRUST_PROXY: hops, true, or addresses; anything else names the variable', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ GUISHU_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ GUISHU_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ GUISHU_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy).toBe('127.0.0.1,10.0.0.0/8');
    expect(() => loadConfig({ GUISHU_TRUST_PROXY: 'everyone' })).toThrow(/GUISHU_TRUST_PROXY/);
  });

  it('GUISHU_WARM_PROJECTS bounds the projects held in memory (0, the default: no limit); GUISHU_JUDGE_RATE and GUISHU_ADMIN_PASSWORD are in the schema too', () => {
    expect(loadConfig({}).warmProjects).toBe(0);
    expect(loadConfig({ GUISHU_WARM_PROJECTS: '8' }).warmProjects).toBe(8);
    expect(() => loadConfig({ GUISHU_WARM_PROJECTS: 'few' })).toThrow(/GUISHU_WARM_PROJECTS/);
    expect(() => loadConfig({ GUISHU_WARM_PROJECTS: '-1' })).toThrow(/GUISHU_WARM_PROJECTS/);
    expect(loadConfig({ GUISHU_JUDGE_RATE: '120', GUISHU_ADMIN_PASSWORD: 'pw' })).toMatchObject({ judgeRate: 120, adminPassword: 'pw' });
    expect(() => loadConfig({ GUISHU_JUDGE_RATE: '0' })).toThrow(/GUISHU_JUDGE_RATE/);
  });
});
