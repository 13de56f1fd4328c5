// What-if: the project's log replayed under another policy, compared with the
// cache's state — the customers whose owner, the deals whose split and the
// events whose refusal would change. Nothing is recorded.
import { ownerOf, Timeline } from '../domain/engine/index.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { canonicalJson } from '../store/index.js';
import { fromStored } from './codec.ts';
import { checkPolicy } from './policy.ts';
import type { ProjectCaches } from './project-cache.ts';
import { erasedOverlay, everyNth, hasCorrections, nextTurn, timelineOptions } from './replay.ts';
import { dealJson, toIso } from './views.ts';
import type { WhatIf } from '../shared/api-answers.ts';

export interface WhatIfInput {
  preset: string;
  set?: Record<string, unknown>;
  at?: number;
}

/** Replays the project's events under another policy; lists the customers whose owner and the deals whose split would change. */
export async function whatIf(caches: ProjectCaches, now: () => number, projectId: string, input: WhatIfInput): Promise<WhatIf> {
  const policy = checkPolicy(input.preset, input.set);
  return caches.read(projectId, async (c) => {
    const at = input.at ?? now();
    // The log, read back from the store up to this cache's head, under the other policy. Like the server's own
    // replay, it keeps the events only when a correction needs them (a kept event lives on into the old
    // generation: a third of a year's what-if went to the collector), and leaves repeated ids to the store's key.
    const alt = new Timeline(timelineOptions(c.project, { ...policy, effectiveAt: Number.NEGATIVE_INFINITY }, await hasCorrections(caches.store, projectId)));
    const overlay = await erasedOverlay(caches.store, projectId);
    const logged: { id: string; type: OfficeEvent['type'] }[] = [];
    const due = everyNth(2_000);
    for await (const row of caches.store.replayEvents(projectId, { fromSeq: 2, toSeq: c.headSeq, batchSize: 2_000 })) {
      if (due()) await nextTurn();
      const event = fromStored(row, overlay.get(row.seq));
      logged.push({ id: event.id, type: event.type });
      if (event.type !== 'policy') alt.apply(event);
    }
    const before = c.timeline.state;
    const after = alt.state;
    const phones = new Set([...before.customers.keys(), ...after.customers.keys()]);
    const customers = [];
    for (const phone of [...phones].sort()) {
      const b = ownerOf(before, phone, at);
      const a = ownerOf(after, phone, at);
      if (b.owner !== a.owner || b.status !== a.status) {
        customers.push({ phone, name: before.customers.get(phone)?.name ?? after.customers.get(phone)?.name ?? null, before: { owner: b.owner ?? 'none', status: b.status, basis: b.basis?.clause ?? null }, after: { owner: a.owner ?? 'none', status: a.status, basis: a.basis?.clause ?? null } });
      }
    }
    const deals = [];
    for (const id of new Set([...before.deals.keys(), ...after.deals.keys()])) {
      const b = dealJson(before, id);
      const a = dealJson(after, id);
      if (canonicalJson([b?.performance, b?.commission]) !== canonicalJson([a?.performance, a?.commission])) {
        deals.push({ id, before: b ? { performance: b.performance, commission: b.commission, basis: b.basis } : null, after: a ? { performance: a.performance, commission: a.commission, basis: a.basis } : null });
      }
    }
    const rejections = [];
    for (const event of logged) {
      const b = c.timeline.rejections.get(event.id)?.code ?? null;
      const a = alt.rejections.get(event.id)?.code ?? null;
      if (b !== a && event.type !== 'policy') rejections.push({ id: event.id, type: event.type, before: b, after: a });
    }
    return { preset: input.preset, set: input.set ?? {}, at: toIso(at), customers, deals, rejections };
  });
}
