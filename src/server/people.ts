// The consultant's phone and the manager's staff screen (issue 11):
//
//   GET  /api/projects/:project/customers/:phone/entries   the card's timeline with who did what
//        (staff, via, direction, effect, a follow-up's note): the owning consultant, managers, controllers (audited)
//   GET  /api/projects/:project/pool                       公客池: public customers, masked, each with whether
//        the caller may claim it now and the clause (consultant, manager)
//   POST /api/projects/:project/pool/claim {phone, ref}    a consultant claims one: the engine checks the claim
//        holds, then the claiming call is recorded (server-dated); the answer cites the clause
//   GET  /api/projects/:project/staff/:staff/departure-preview   离职预览: where a consultant's customers go if they
//        leave now, computed by the engine and recorded nowhere (manager, audited)
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clauseText } from '../app/clauses.ts';
import { departurePreview } from '../app/departure-preview.ts';
import type { GuishuApp } from '../app/office.ts';
import { claimFromPool, publicPool } from '../app/public-pool.ts';
import { forbidden } from '../auth/errors.ts';
import { seesAll } from '../auth/roles.ts';
import type { Guard } from './auth.ts';
import type { OfficeEvent } from '../domain/events.ts';
import type { ClaimResult, CustomerEntries, DeparturePreview, EntryWhat, PublicPool, TimelineEntry } from '../shared/api-answers.ts';
import { claimBody, projectParam } from './schemas.ts';

const phoneParams = z.object({ project: projectParam, phone: z.string().min(1).max(64) });
const staffParams = z.object({ project: projectParam, staff: z.string().min(1).max(64) });

const WHAT_KEYS = ['staff', 'receivedBy', 'recognizedBy', 'closedBy', 'via', 'direction', 'effective', 'note', 'stage', 'unit', 'appointment', 'owner', 'by', 'reason', 'against'] as const satisfies readonly (keyof EntryWhat)[];
/** The type a field has in the office events that carry it. */
type FieldOf<E, K extends PropertyKey> = E extends unknown ? (K extends keyof E ? Exclude<E[K], undefined> : never) : never;
/** Those fields as the events type them: the answer's EntryWhat must take them (a change to an event's field that the web would misread fails the typecheck). */
type EventWhat = { [K in (typeof WHAT_KEYS)[number]]?: FieldOf<OfficeEvent, K> };

/** What an event says about who did what, for a timeline line (no customer refs: the card has them). */
function what(event: OfficeEvent): EntryWhat {
  const fields = event as unknown as Record<string, unknown>;
  const out: EventWhat = {};
  for (const k of WHAT_KEYS) if (fields[k] !== undefined) (out as Record<string, unknown>)[k] = fields[k];
  return out;
}

export function registerPeople(fastify: FastifyInstance, { app, guard }: { app: GuishuApp; guard: Guard }): void {
  const r = fastify.withTypeProvider<ZodTypeProvider>();

  r.get('/api/projects/:project/customers/:phone/entries', {
    config: { roles: ['manager', 'controller', 'consultant'] },
    schema: { tags: ['queries'], summary: 'The customer card’s timeline with who did what (staff, via, direction, effect, a follow-up’s note): managers, controllers and the owning consultant (audited)', params: phoneParams },
  }, async (request): Promise<CustomerEntries> => {
    const { project, phone } = request.params;
    guard.lookup(request, project);
    const s = guard.standing(request, project);
    const card = await app.customer(project, phone);
    if (!(seesAll(s) || (s.role === 'consultant' && s.staffId !== null && card.owner === s.staffId))) {
      throw forbidden('a consultant reads the timeline of their own customers only', 'not-your-customer');
    }
    const entries: TimelineEntry[] = [];
    for (const item of card.timeline) {
      const e = await app.event(project, item.id).catch(() => null);
      entries.push({ ...item, recordedBy: e?.recordedBy ?? null, what: e ? what(e.event) : {} });
    }
    await guard.record(request, project, 'read-phone', { phone: card.phone });
    return { phone: card.phone, entries };
  });

  r.get('/api/projects/:project/pool', {
    config: { roles: ['manager', 'consultant'] },
    schema: { tags: ['queries'], summary: '公客池: public customers (masked, newest first, at most 300), each with whether the caller may claim it now and the clause', params: z.object({ project: projectParam }) },
  }, async (request): Promise<PublicPool> => {
    const { project } = request.params;
    const s = guard.standing(request, project);
    return publicPool(app, project, s.role === 'consultant' ? s.staffId : null);
  });

  r.post('/api/projects/:project/pool/claim', {
    config: { roles: ['consultant'] },
    schema: { tags: ['events'], summary: 'Claim a public customer: the engine checks the claim holds, then the claiming call (outgoing, by the caller, dated by the server) is recorded; the answer cites the clause', params: z.object({ project: projectParam }), body: claimBody },
  }, async (request, reply) => {
    const { project } = request.params;
    const s = guard.standing(request, project);
    if (s.role !== 'consultant' || !s.staffId) throw forbidden('only a consultant linked to a staff id claims from the pool', 'forbidden');
    const out = await claimFromPool(app, project, s.staffId, request.body, request.actor ?? null);
    if ('refused' in out) throw forbidden(`the policy does not let you take this customer (${out.refused.clause})`, 'forbidden');
    await guard.record(request, project, 'read-phone', { phone: out.phone });
    return reply.code(out.result.repeated ? 200 : 201).send({ ...out.result, phone: out.phone, clause: out.clause, clauseText: clauseText(out.clause) } satisfies ClaimResult);
  });

  r.get('/api/projects/:project/staff/:staff/departure-preview', {
    config: { roles: ['manager'] },
    schema: { tags: ['staff'], summary: '离职预览: where a staff member’s customers go if they leave now (the engine’s decision, recorded nowhere)', params: staffParams },
  }, async (request): Promise<DeparturePreview> => {
    const { project, staff } = request.params;
    const preview = await departurePreview(app, project, staff);
    if (preview.customers.length) await guard.record(request, project, 'read-phone', { detail: { departurePreview: staff, customers: preview.customers.length } });
    return preview;
  });
}
