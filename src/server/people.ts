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
import { projectParam } from './schemas.ts';

const phoneParams = z.object({ project: projectParam, phone: z.string().min(1).max(64) });
const staffParams = z.object({ project: projectParam, staff: z.string().min(1).max(64) });
const claimBody = z.strictObject({
  /** As the pool shows it (138****5678). */
  phone: z.string().min(1).max(64),
  ref: z.string().max(128),
});

/** What an event says about who did what, for a timeline line (no customer refs: the card has them). */
function what(event: Record<string, unknown>): Record<string, unknown> {
  const keys = ['staff', 'receivedBy', 'recognizedBy', 'closedBy', 'via', 'direction', 'effective', 'note', 'stage', 'unit', 'appointment', 'owner', 'by', 'reason', 'against'];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (event[k] !== undefined) out[k] = event[k];
  return out;
}

export function registerPeople(fastify: FastifyInstance, { app, guard }: { app: GuishuApp; guard: Guard }): void {
  const r = fastify.withTypeProvider<ZodTypeProvider>();

  r.get('/api/projects/:project/customers/:phone/entries', {
    config: { roles: ['manager', 'controller', 'consultant'] },
    schema: { tags: ['queries'], summary: 'The customer card’s timeline with who did what (staff, via, direction, effect, a follow-up’s note): managers, controllers and the owning consultant (audited)', params: phoneParams },
  }, async (request) => {
    const { project, phone } = request.params;
    guard.lookup(request, project);
    const s = guard.standing(request, project);
    const card = await app.customer(project, phone);
    if (!(seesAll(s) || (s.role === 'consultant' && s.staffId !== null && card.owner === s.staffId))) {
      throw forbidden('a consultant reads the timeline of their own customers only', 'not-your-customer');
    }
    const entries = [];
    for (const item of card.timeline) {
      const e = await app.event(project, item.id).catch(() => null);
      entries.push({ ...item, recordedBy: e?.recordedBy ?? null, what: e ? what(e.event as unknown as Record<string, unknown>) : {} });
    }
    await guard.record(request, project, 'read-phone', { phone: card.phone });
    return { phone: card.phone, entries };
  });

  r.get('/api/projects/:project/pool', {
    config: { roles: ['manager', 'consultant'] },
    schema: { tags: ['queries'], summary: '公客池: public customers (masked, newest first, at most 300), each with whether the caller may claim it now and the clause', params: z.object({ project: projectParam }) },
  }, async (request) => {
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
    return reply.code(out.result.repeated ? 200 : 201).send({ ...out.result, phone: out.phone, clause: out.clause, clauseText: clauseText(out.clause) });
  });

  r.get('/api/projects/:project/staff/:staff/departure-preview', {
    config: { roles: ['manager'] },
    schema: { tags: ['staff'], summary: '离职预览: where a staff member’s customers go if they leave now (the engine’s decision, recorded nowhere)', params: staffParams },
  }, async (request) => {
    const { project, staff } = request.params;
    const preview = await departurePreview(app, project, staff);
    if (preview.customers.length) await guard.record(request, project, 'read-phone', { detail: { departurePreview: staff, customers: preview.customers.length } });
    return preview;
  });
}
