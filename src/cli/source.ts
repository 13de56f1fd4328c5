// A timeline to replay from a file: a scenario (YAML) or an NDJSON log as
// `guishu generate` writes it.
import { readFile } from 'node:fs/promises';
import type { OfficeEvent } from '../domain/events.ts';
import { Timeline } from '../domain/engine/index.ts';
import { normalizePhone } from '../domain/phone.ts';
import { type Policy } from '../domain/policy/index.ts';
import { DEFAULT_TIMEZONE } from '../domain/time.ts';
import { decodeWireEvent } from '../domain/wire.ts';
import { parseScenario } from '../scenario/parse.ts';
import { staffEvents } from '../scenario/run.ts';
import { initialPolicy, policyOfEvent } from '../domain/policy/wiring.ts';

export interface TimelineSource {
  timezone: string;
  preset: string;
  set: Record<string, unknown>;
  events: OfficeEvent[];
  /** Cast ids (scenario) → phones, so people can name customers as the file does. */
  customerIds: Map<string, string>;
  staffNames: Map<string, string>;
}

export async function loadSource(file: string): Promise<TimelineSource> {
  const text = await readFile(file, 'utf8');
  if (/\.ya?ml$/.test(file)) {
    const s = parseScenario(file, text);
    const customerIds = new Map<string, string>();
    for (const [id, c] of s.customers) {
      const phone = normalizePhone(c.phone);
      if (phone) customerIds.set(id, phone);
    }
    return {
      timezone: s.timezone,
      preset: s.preset,
      set: s.set,
      events: [...staffEvents(s), ...s.events.map((e) => e.event)],
      customerIds,
      staffNames: new Map(s.staff.map((m) => [m.id, m.name ?? m.id])),
    };
  }
  const events: OfficeEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim()) events.push(decodeWireEvent(line, i + 1));
  });
  const first = events.find((e) => e.type === 'policy');
  const staffNames = new Map<string, string>();
  for (const e of events) if (e.type === 'staff') staffNames.set(e.staff, e.name ?? e.staff);
  return {
    timezone: DEFAULT_TIMEZONE,
    preset: first?.type === 'policy' ? first.preset : 'standard',
    set: first?.type === 'policy' ? (first.set ?? {}) : {},
    events: events.filter((e) => e !== first),
    customerIds: new Map(),
    staffNames,
  };
}

export function replay(source: TimelineSource, policy?: Policy, keepHistory = true): Timeline {
  const timeline = new Timeline({
    timezone: source.timezone,
    policy: policy ?? initialPolicy(source.preset, source.set),
    keepHistory,
    resolvePolicy: policyOfEvent,
  });
  for (const e of source.events) timeline.apply(e);
  return timeline;
}

export function resolveCustomer(source: TimelineSource, id: string): string {
  const phone = source.customerIds.get(id) ?? normalizePhone(id);
  if (!phone) throw new Error(`--customer: "${id}" is neither a customer id of the file nor a valid phone`);
  return phone;
}
