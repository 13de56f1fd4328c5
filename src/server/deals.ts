// Deals and money over HTTP (docs/api.md, "Deals and money"): a deal's
// preview (the engine's decision on a proposed deal, recording nothing),
// a deposit, the move to contract, a cancellation (退订/退房), the manager's
// confirmation (a ruling that fixes the split) or correction; the commission
// rates; the ledger with amounts; a month's statement (结佣单) as JSON or xlsx.
//
// Scope, as the customer card: a consultant records deals for their own
// customers only, as themselves, and sees the deals they take part in with
// other people's customers masked; managers and controllers see everything,
// and every answer with full phones leaves one `read-phone` audit row. The
// time of record is the server's clock: these routes take no `at`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInputError } from '../app/errors.ts';
import { Ledger } from '../app/ledger.ts';
import type { GuishuApp } from '../app/office.ts';
import { forbidden } from '../auth/errors.ts';
import { dealInvolves, maskAny } from '../auth/redact.ts';
import { isManagerial, seesAll } from '../auth/roles.ts';
import { text } from '../domain/events.ts';
import { isDefaultClause } from '../domain/policy/index.ts';
import { statementXlsx } from '../ops/statement-xlsx.ts';
import type { CommissionRates, DealMoney, DealMoneyList, DealPreview, DealRecorded, LedgerAnswer } from '../shared/api-answers.ts';
import type { Guard } from './auth.ts';
import { cancelBody, confirmBody, correctBody, idParams, projectParams, proposal, ratesBody, stageBody, toInstant } from './schemas.ts';

export interface DealRoutesOptions {
  app: GuishuApp;
  guard: Guard;
}

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

const statementQuery = z.object({ month, staff: text(64, 1).optional(), agency: text(200, 1).optional(), format: z.enum(['json', 'xlsx']).default('json') });

/** How far back an effective time may lie without a reason (the time of record's skew). */
const BEHIND_MS = 10 * 60_000;

export function registerDeals(fastify: FastifyInstance, opts: DealRoutesOptions): void {
  const { app, guard } = opts;
  const ledger = new Ledger(app);
  const r = fastify.withTypeProvider<ZodTypeProvider>();
  const ctx = (request: FastifyRequest) => ({ recordedBy: request.actor });

  /** A consultant acts as their own staff id, for their own customer. */
  async function actor(request: FastifyRequest, project: string, closedBy: string | undefined, phone: string | undefined): Promise<string> {
    const s = guard.standing(request, project);
    if (s.role === 'consultant' && !s.admin) {
      if (!s.staffId) throw forbidden('your account is not linked to a staff id here', 'forbidden', 'closedBy');
      if (closedBy !== undefined && closedBy !== s.staffId) throw forbidden(`you record as yourself (staff ${s.staffId}), not as ${closedBy.slice(0, 64)}`, 'forbidden', 'closedBy');
      if (phone !== undefined && (await ledger.ownerOf(project, phone)) !== s.staffId) throw forbidden('a consultant records deals for their own customers only', 'not-your-customer', 'customers.0.phone');
      return s.staffId;
    }
    if (closedBy !== undefined) return closedBy;
    if (s.staffId) return s.staffId;
    throw new InvalidInputError('closedBy', 'say who closed the deal (closedBy)', 'missing-field');
  }

  /** A consultant's view of a deal: customers they do not hold masked and unnamed. */
  async function scoped(request: FastifyRequest, project: string, deals: DealMoney[], justRecorded = false): Promise<DealMoney[]> {
    const s = guard.standing(request, project);
    if (seesAll(s)) {
      if (deals.length) await guard.record(request, project, 'read-phone', { detail: { deals: deals.length } });
      return deals;
    }
    // The answer to a write shows the deal just recorded (the front desk's too), customers masked unless held.
    const mine = justRecorded ? deals : deals.filter((d) => dealInvolves(d, s.staffId));
    const owners = new Map<string, string | null>();
    for (const d of mine) for (const c of d.customers) if (!owners.has(c.phone)) owners.set(c.phone, await ledger.ownerOf(project, c.phone).catch(() => null));
    const own = [...owners].filter(([, o]) => o !== null && o === s.staffId).map(([p]) => p);
    if (own.length) await guard.record(request, project, 'read-phone', { detail: { deals: mine.length, own: own.length } });
    return mine.map((d) => ({ ...d, customers: d.customers.map((c) => (own.includes(c.phone) ? c : { phone: maskAny(c.phone), name: null })) }));
  }

  async function involved(request: FastifyRequest, project: string, id: string): Promise<DealMoney> {
    const s = guard.standing(request, project);
    const deal = await ledger.deal(project, id);
    if (!isManagerial(s) && s.role !== 'frontdesk' && !dealInvolves(deal, s.staffId)) throw forbidden('a consultant acts only on deals they take part in', 'not-your-deal');
    return deal;
  }

  const answer = async (request: FastifyRequest, reply: FastifyReply, project: string, out: Awaited<ReturnType<Ledger['record']>>) => {
    const [deal] = out.deal ? await scoped(request, project, [out.deal], true) : [null];
    // The engine's decisions name customers in full: only for those who see everything (the deal carries the rest).
    const decisions = seesAll(guard.standing(request, project)) ? out.result.decisions : [];
    return reply.code(out.result.repeated ? 200 : 201).send({ ...out.result, decisions, deal: deal ?? null } satisfies DealRecorded);
  };

  const CLOSERS = ['manager', 'frontdesk', 'consultant'] as const;

  r.post('/api/projects/:project/deals/preview', {
    config: { roles: [...CLOSERS] },
    schema: { tags: ['queries'], summary: 'What recording this deal would decide now — the deal, its performance and commission split with their clauses, the amounts — recording nothing (a consultant: their own customer, as themselves)', params: projectParams, body: proposal },
  }, async (request): Promise<DealPreview> => {
    const { project } = request.params;
    const b = request.body;
    const closedBy = await actor(request, project, b.closedBy, b.customers[0]!.phone);
    const p = await ledger.preview(project, { ...b, closedBy });
    if (!p.ok) return p;
    const s = guard.standing(request, project);
    // A consultant's own customer (checked above) in full; every other buyer masked for anyone who does not see all.
    const own = s.role === 'consultant' && !s.admin;
    const deal = seesAll(s) ? p.deal : { ...p.deal, customers: p.deal.customers.map((c, i) => (own && i === 0 ? c : { phone: maskAny(c.phone), name: null })) };
    return { ok: true, deal };
  });

  r.post('/api/projects/:project/deals', {
    config: { roles: [...CLOSERS] },
    schema: { tags: ['events'], summary: 'Record a deposit (认购) or a contract (签约) for a customer, dated by the server: a `deal` event. 201 with the result (accepted or rejected with its code) and the deal as it stands', params: projectParams, body: proposal },
  }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    const closedBy = await actor(request, project, b.closedBy, b.customers[0]!.phone);
    return answer(request, reply, project, await ledger.record(project, { ...b, closedBy }, ctx(request)));
  });

  r.post('/api/projects/:project/deals/:id/contract', {
    config: { roles: [...CLOSERS] },
    schema: { tags: ['events'], summary: 'Move a deposit to contract (签约), with the contract price when it differs', params: idParams, body: stageBody },
  }, async (request, reply) => {
    const { project, id } = request.params;
    await involved(request, project, id);
    const f = await ledger.facts(project, id);
    return answer(request, reply, project, await ledger.record(project, { id: request.body.id, deal: id, customers: f.customers, closedBy: f.closedBy, stage: 'contract', price: request.body.price, unit: request.body.unit }, ctx(request)));
  });

  r.post('/api/projects/:project/deals/:id/cancel', {
    config: { roles: [...CLOSERS] },
    schema: { tags: ['events'], summary: 'Cancel a deal (退订 before the contract, 退房 after) with the reason: the unit is free again and the credit is reversed in the ledger', params: idParams, body: cancelBody },
  }, async (request, reply) => {
    const { project, id } = request.params;
    await involved(request, project, id);
    const f = await ledger.facts(project, id);
    return answer(request, reply, project, await ledger.record(project, { id: request.body.id, deal: id, customers: f.customers, closedBy: f.closedBy, stage: 'cancel', reason: request.body.reason }, ctx(request)));
  });

  r.post('/api/projects/:project/deals/:id/confirm', {
    config: { roles: ['manager'] },
    schema: { tags: ['events'], summary: "The manager confirms the deal's performance and commission split as it stands: a `ruling` on the deal with these shares (later facts no longer move them), citing the clause the split rests on", params: idParams, body: confirmBody },
  }, async (request, reply) => {
    const { project, id } = request.params;
    const deal = await ledger.deal(project, id);
    const by = request.body.by ?? guard.standing(request, project).staffId;
    if (!by) throw new InvalidInputError('by', 'say which manager confirms (by)', 'missing-field');
    // A ruling names a rulebook's clause; where the split rests on the rulebook's silence it names none.
    const clause = isDefaultClause(deal.commissionBasis.clause) ? undefined : deal.commissionBasis.clause;
    const result = await app.recordEvent(project, { type: 'ruling', ...(request.body.id ? { id: request.body.id } : {}), deal: id, performance: deal.shares.performance, commission: deal.shares.commission, by, reason: request.body.reason, ...(clause ? { clause } : {}) }, ctx(request));
    return reply.code(result.repeated ? 200 : 201).send({ ...result, deal: await ledger.deal(project, id) } satisfies DealRecorded);
  });

  r.post('/api/projects/:project/deals/:id/correct', {
    config: { roles: ['manager'] },
    schema: { tags: ['events'], summary: "The manager corrects a deal's price, unit or closer, with the reason: a `correction` of the deal's latest stage (the original stays on record)", params: idParams, body: correctBody },
  }, async (request, reply) => {
    const { project, id } = request.params;
    const f = await ledger.facts(project, id);
    const by = request.body.by ?? guard.standing(request, project).staffId;
    if (!by) throw new InvalidInputError('by', 'say which manager corrects (by)', 'missing-field');
    // The stage that carries the deal's facts: the last before a cancellation.
    const of = f.stage === 'cancelled' ? f.eventIds.at(-2)! : f.eventIds.at(-1)!;
    const result = await app.recordEvent(project, { type: 'correction', ...(request.body.id ? { id: request.body.id } : {}), of, set: request.body.set, reason: request.body.reason, by }, ctx(request));
    return reply.code(result.repeated ? 200 : 201).send({ ...result, deal: await ledger.deal(project, id) } satisfies DealRecorded);
  });

  r.get('/api/projects/:project/ledger/deals', {
    config: { roles: ['manager', 'controller', 'consultant'] },
    schema: { tags: ['queries'], summary: 'Deals with price, stage, cancellation, splits as exact fractions with their clauses and the money lines (a consultant: deals they take part in, others’ customers masked)', params: projectParams },
  }, async (request): Promise<DealMoneyList> => {
    const { project } = request.params;
    return { deals: await scoped(request, project, await ledger.deals(project)) };
  });

  r.get('/api/projects/:project/ledger', {
    config: { roles: ['manager', 'controller', 'consultant'] },
    schema: { tags: ['queries'], summary: 'The commission ledger (佣金台账): lines per person and per channel agency — price × rate × share, yuan with two decimals, credits and cancellation reversals — with totals; ?month=YYYY-MM for one local month (a consultant: lines of deals they take part in)', params: projectParams, querystring: z.object({ month: month.optional() }) },
  }, async (request): Promise<LedgerAnswer> => {
    const { project } = request.params;
    const s = guard.standing(request, project);
    const all = await ledger.ledger(project, { month: request.query.month });
    if (seesAll(s)) return all;
    const deals = new Set((await ledger.deals(project)).filter((d) => dealInvolves(d, s.staffId)).map((d) => d.id));
    const lines = all.lines.filter((l) => deals.has(l.deal));
    return { ...all, lines, totals: { staff: all.totals.staff.filter((t) => t.staff === s.staffId), agencies: [] } };
  });

  r.get('/api/projects/:project/statement', {
    config: { roles: ['manager', 'controller', 'consultant'] },
    schema: { tags: ['queries'], summary: 'A month’s commission statement (结佣单) of one consultant (?staff=) or one channel agency (?agency=); format=xlsx for the spreadsheet (audited as an export). A consultant: their own only', params: projectParams, querystring: statementQuery },
  }, async (request, reply) => {
    const { project } = request.params;
    const q = request.query;
    const s = guard.standing(request, project);
    if (!seesAll(s) && (q.agency !== undefined || q.staff !== s.staffId)) throw forbidden('a consultant reads their own statement only', 'forbidden', 'staff');
    const st = await ledger.statement(project, { month: q.month, staff: q.staff, agency: q.agency });
    if (q.format === 'json') return st;
    const names = await app.query(project, (state, p) => ({ project: p.name, staff: new Map([...state.staff.values()].map((m) => [m.id, m.name ?? m.id])) }));
    const payee = st.staff ? `${st.staffName ?? st.staff}（${st.staff}）` : `${st.agency}`;
    const file = await statementXlsx({ projectName: names.project, month: st.month, payee, lines: st.lines, total: st.total, withoutAmount: st.withoutAmount, names: (id) => names.staff.get(id) ?? id });
    await guard.record(request, project, 'export', { detail: { statement: st.month, staff: st.staff, agency: st.agency, lines: st.lines.length } });
    const name = `结佣单-${st.month}-${st.staffName ?? st.staff ?? st.agency}.xlsx`;
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="statement-${st.month}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(file);
  });

  r.get('/api/projects/:project/commission-rates', {
    config: { roles: ['manager', 'controller', 'consultant'] },
    schema: { tags: ['projects'], summary: 'Commission rate versions (佣金比例: per role of the person credited and per channel agency) and the agencies the staff list names', params: projectParams },
  }, async (request): Promise<CommissionRates> => ledger.rates(request.params.project));

  r.post('/api/projects/:project/commission-rates', {
    config: { roles: ['manager'] },
    schema: { tags: ['projects'], summary: 'New commission rates from effectiveAt (default now): a `settings` event. An effective time in the past reprices past deals and needs lateReason', params: projectParams, body: ratesBody },
  }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    const tz = await app.timezone(project);
    const effectiveAt = b.effectiveAt === undefined ? undefined : toInstant(b.effectiveAt, tz, 'effectiveAt');
    if (effectiveAt !== undefined && effectiveAt < app.now() - BEHIND_MS && !b.lateReason) throw new InvalidInputError('lateReason', 'rates in force from a past time reprice past deals: say why (lateReason)', 'late-reason-required');
    const by = guard.standing(request, project).staffId ?? undefined;
    const result = await ledger.setRates(project, { id: b.id, commission: b.commission, effectiveAt, by, lateReason: b.lateReason }, ctx(request));
    return reply.code(result.repeated ? 200 : 201).send(result);
  });
}
