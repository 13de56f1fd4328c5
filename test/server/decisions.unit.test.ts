// A write's answer lists its decisions as plain JSON (decisionJson). It is built
// without a JSON text in between; this holds it to exactly what
// JSON.stringify → JSON.parse gave, over every change of a generated office.
import { describe, expect, it } from 'vitest';
import { decisionJson } from '../../src/app/office.ts';
import { Timeline } from '../../src/domain/engine/index.ts';
import { generateTimeline, optionsForEvents } from '../../src/sim/generate.ts';
import { policyOfEvent, initialPolicy } from '../../src/domain/policy/wiring.ts';

const viaText = (ch: unknown) => JSON.parse(JSON.stringify(ch, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : typeof v === 'number' && !Number.isFinite(v) ? null : v))) as unknown;

describe('decisionJson', () => {
  it('equals the JSON round trip for every change of a generated office', () => {
    const timeline = new Timeline({
      timezone: 'Asia/Shanghai',
      policy: initialPolicy('standard'),
      keepHistory: true,
      resolvePolicy: policyOfEvent,
    });
    const kinds = new Set<string>();
    let changes = 0;
    for (const event of generateTimeline(optionsForEvents(6_000, 7))) {
      const outcome = timeline.apply(event);
      if (!outcome.accepted) continue;
      for (const ch of outcome.changes) {
        if (ch.kind === 'policy') continue;
        kinds.add(ch.kind);
        changes++;
        expect(decisionJson(ch)).toStrictEqual(viaText(ch));
      }
    }
    expect(changes).toBeGreaterThan(5_000);
    expect(kinds.size).toBeGreaterThan(5);
  });
});
