// Data rights: a customer's erasure (their name and phone out of the log and
// every projection, the chain still verifying and the project still
// replaying) and their export.
import { randomInt } from 'node:crypto';
import { formatMask, maskMatches, normalizePhone, parseMask } from '../domain/phone.ts';
import { canonicalJson } from '../store/index.js';
import { fromStored, mapCustomerRefs, splitPersonal } from './codec.ts';
import { NotFoundError } from './errors.ts';
import type { ProjectCaches } from './project-cache.ts';
import { rebuildProjections } from './projections.ts';
import { requirePhone, type Queries } from './queries.ts';
import { erasedOverlay } from './replay.ts';
import { toIso } from './views.ts';

/** The name an erased customer is replayed under. */
export const ERASED_NAME = '（已删除）';

/**
 * Erases a customer's personal data (right to erasure). Every event naming
 * the phone — in full, or as a report mask it matches — has its `personal`
 * column set to NULL (the hash chain keeps verifying: only the salted digest
 * is hashed). So that the project can still be replayed, the event's
 * customer references are kept in the `erasures` overlay with this customer
 * under a pseudonymous phone (segment 17400, never a person's number in an
 * office; one pseudonym for all of the customer's events, so ownership,
 * reports and deal splits replay exactly as before) and the name
 * ERASED_NAME; other
 * customers named by the same event keep theirs. Projections are rebuilt.
 */
export async function eraseCustomer(caches: ProjectCaches, now: () => number, projectId: string, phoneText: string): Promise<{ events: number; seqs: number[]; pseudonym: string }> {
  const phone = requirePhone(phoneText, 'phone');
  const result = await caches.mutex.run(projectId, async () => {
    const cache = await caches.load(projectId);
    const known = new Set([...cache.timeline.state.customers.keys(), ...cache.phoneSeqs.keys()]);
    if (!known.has(phone)) throw new NotFoundError('customer-not-found', 'no customer with this phone', 'phone');
    let pseudonym: string;
    do pseudonym = `17400${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    while (known.has(pseudonym));
    const overlays: { seq: number; personal: string }[] = [];
    const overlay = await erasedOverlay(caches.store, projectId);
    for await (const row of caches.store.readEvents(projectId, { batchSize: 2_000 })) {
      const rec = { seq: row.seq, event: fromStored(row, overlay.get(row.seq)) };
      let touched = false;
      const rewritten = mapCustomerRefs(rec.event, (ref) => {
        const text = String(ref.phone);
        // A registration that had a name keeps one (the engine refuses a nameless visit): a placeholder.
        const name = ref.name === undefined ? {} : { name: ERASED_NAME };
        if (normalizePhone(text) === phone) {
          touched = true;
          return { phone: pseudonym, ...name };
        }
        const mask = parseMask(text);
        if (mask && maskMatches(mask, phone)) {
          touched = true;
          const p = mask.prefix.length;
          return { phone: formatMask({ prefix: pseudonym.slice(0, p), hidden: mask.hidden, suffix: pseudonym.slice(p + mask.hidden) }), ...name };
        }
        return ref;
      });
      if (touched) overlays.push({ seq: rec.seq, personal: canonicalJson(splitPersonal(rewritten).personal ?? {}) });
    }
    const erasedAt = toIso(now());
    // The overlay (the erasure record the database requires) and the blanking in one transaction.
    await caches.store.erasePersonal(projectId, overlays.map((o) => o.seq), { overlay: new Map(overlays.map((o) => [o.seq, o.personal])), erasedAt });
    // The checkpoint holds the customer's phone and name: it goes too.
    await caches.store.dropCheckpoint(projectId);
    caches.drop(projectId);
    return { events: overlays.length, seqs: overlays.map((o) => o.seq), pseudonym };
  });
  await rebuildProjections(caches, projectId);
  await caches.store.scrub(); // SQLite: the erased data out of the WAL too (docs/store.md)
  return result;
}

/** Everything the office holds about one customer (data-subject export): the card and every event naming them, with personal data. */
export async function exportCustomer(caches: ProjectCaches, queries: Queries, projectId: string, phoneText: string) {
  const card = await queries.customer(projectId, phoneText);
  const events = await caches.read(projectId, async (c) => {
    const rows = await caches.store.eventsAt(projectId, c.phoneSeqs.get(card.phone) ?? []);
    const overlay = await erasedOverlay(caches.store, projectId);
    return rows.map((r) => ({ seq: r.seq, status: r.status, event: fromStored(r, overlay.get(r.seq)) }));
  });
  return { customer: card, events };
}
