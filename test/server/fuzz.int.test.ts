// 2,000 generated malformed requests: every answer is a 4xx problem+json with
// a code, never a 5xx; the project's head, chain and projections are unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, authHeaders, cleanup, startServer, TARGETS, warnSkips, type Running } from './harness.ts';

const P = 'fuzz';
const NASTY = ["'; DROP TABLE events; --", '<script>alert(1)</script>', '" OR 1=1 --', '\u0000', '${jndi:ldap://x}', '%00%27', '王\u202e先生', '<img src=x onerror=alert(1)>', '\\', '../../etc/passwd'];
const BAD_PHONES = ['123', 'abc', '+1 650 555 0100', '1380013800', '138001380001', '', '138-****-8000x', '99999999999'];
const HUGE = 'x'.repeat(1_000_000);
const HUGE_CJK = '王'.repeat(400_000); // > 1 MiB as UTF-8

const customer = { phone: '13800138000', name: '王先生' };
/** Valid event templates, each with fields whose removal or mistyping must be refused. */
const TEMPLATES: { body: Record<string, unknown>; required: string[]; enums: string[]; strings: string[] }[] = [
  { body: { type: 'visit', customer, receivedBy: 'A', says: { firstVisit: true }, purpose: 'tour' }, required: ['type', 'customer', 'customer.phone'], enums: ['purpose'], strings: ['receivedBy', 'customer.name'] },
  { body: { type: 'call', customer, staff: 'A', direction: 'in' }, required: ['type', 'customer', 'staff', 'direction'], enums: ['direction'], strings: ['staff', 'customer.name'] },
  { body: { type: 'report', customer, staff: 'X' }, required: ['customer', 'staff'], enums: [], strings: ['staff', 'customer.name'] },
  { body: { type: 'deal', deal: 'd1', customers: [customer], closedBy: 'A', stage: 'deposit' }, required: ['deal', 'customers', 'closedBy', 'stage'], enums: ['stage'], strings: ['deal', 'closedBy'] },
  { body: { type: 'status', staff: 'A', state: 'present' }, required: ['staff', 'state'], enums: ['state'], strings: ['staff'] },
  { body: { type: 'duty', order: ['A', 'B'] }, required: ['order'], enums: [], strings: [] },
  { body: { type: 'complaint', customer, against: 'A', fault: 'service' }, required: ['customer', 'against', 'fault'], enums: ['fault'], strings: ['against'] },
  { body: { type: 'ruling', customer, owner: 'B', by: 'M', reason: '经理裁定' }, required: ['by', 'reason'], enums: [], strings: ['reason', 'by'] },
];

type Req = { method: string; path: string; body?: unknown; raw?: string; contentType?: string };

const get = (o: Record<string, unknown>, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
function set(o: Record<string, unknown>, path: string, value: unknown, remove = false): Record<string, unknown> {
  const copy = structuredClone(o);
  const keys = path.split('.');
  let cur: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  if (remove) delete cur[keys.at(-1)!];
  else cur[keys.at(-1)!] = value;
  return copy;
}
function wrongTypeFor(v: unknown): fc.Arbitrary<unknown> {
  const all = [fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }), fc.string({ maxLength: 10 })];
  const wrong = all.filter((_a, i) => {
    if (typeof v === 'number') return i !== 0;
    if (typeof v === 'boolean') return i !== 1;
    if (Array.isArray(v)) return i !== 3;
    if (typeof v === 'object') return i !== 4;
    return i !== 5;
  });
  return fc.oneof(...wrong);
}

/** Noise that is harmless alone: metacharacters in names, bad phones (recorded as rejected if the request were valid). */
const noise = fc.record({ name: fc.constantFrom(...NASTY), phone: fc.option(fc.constantFrom(...BAD_PHONES), { nil: undefined }) });

const brokenEvent: fc.Arbitrary<Req> = fc.tuple(fc.integer({ min: 0, max: TEMPLATES.length - 1 }), fc.nat(), noise, fc.nat({ max: 7 })).chain((args): fc.Arbitrary<Req> => chooseBroken(args));
function chooseBroken([t, pick, n, how]: [number, number, { name: string; phone: string | undefined }, number]): fc.Arbitrary<Req> {
  const tpl = TEMPLATES[t]!;
  let body = structuredClone(tpl.body);
  if (body.customer) body = set(body, 'customer', { phone: n.phone ?? customer.phone, name: n.name });
  const path = `/api/projects/${P}/events`;
  switch (how) {
    case 0: {
      const field = tpl.required[pick % tpl.required.length]!;
      return fc.constant({ method: 'POST', path, body: set(body, field, undefined, true) });
    }
    case 1: {
      const field = [...tpl.required, ...tpl.enums][pick % (tpl.required.length + tpl.enums.length)]!;
      return wrongTypeFor(get(body, field)).map((w) => ({ method: 'POST', path, body: set(body, field, w) }));
    }
    case 2:
      if (tpl.enums.length) return fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !['tour', 'deposit', 'sign', 'in', 'out', 'contract', 'present', 'busy', 'away-personal', 'away-business', 'sick', 'off', 'service', 'other'].includes(s)).map((s) => ({ method: 'POST', path, body: set(body, tpl.enums[pick % tpl.enums.length]!, s) }));
      return fc.constant({ method: 'POST', path, body: set(body, 'type', 'teleport') });
    case 3:
      return fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !(k in body) && !['id', 'at'].includes(k)).map((k) => ({ method: 'POST', path, body: { ...body, [k]: 1 } }));
    case 4: {
      const field = tpl.strings.length ? tpl.strings[pick % tpl.strings.length]! : 'type';
      return fc.constant({ method: 'POST', path, body: set(body, field, pick % 2 ? HUGE : HUGE_CJK) });
    }
    case 5:
      return fc.constantFrom('yesterday', '2024-02-31 10:00', '2024-13-01 10:00', '10:00', '2024-01-01 25:00', '2024-01-01 10:60').map((at) => ({ method: 'POST', path, body: { ...body, at } }));
    case 6:
      return fc.constantFrom('{', '{"type":', 'null', '[]', '"visit"', '{"type":"visit",}').map((raw) => ({ method: 'POST', path, raw }));
    default:
      return fc.constant({ method: 'POST', path, raw: JSON.stringify(body), contentType: 'text/plain' });
  }
}

const brokenOther: fc.Arbitrary<Req> = fc.oneof(
  fc.tuple(fc.constantFrom(...BAD_PHONES.filter(Boolean)), noise).map(([phone, n]) => ({ method: 'POST', path: `/api/projects/${P}/judge`, body: { customer: { phone, name: n.name } } })),
  fc.constantFrom(...BAD_PHONES.filter(Boolean)).map((phone) => ({ method: 'GET', path: `/api/projects/${P}/customers/${encodeURIComponent(phone)}` })),
  fc.constantFrom('garbage', '2024-99-99', "1' OR '1'='1").map((at) => ({ method: 'GET', path: `/api/projects/${P}/rotation?at=${encodeURIComponent(at)}` })),
  fc.record({ preset: fc.constantFrom('no-such-preset', "'; DROP TABLE policies; --", '<b>x</b>') }).map((b) => ({ method: 'POST', path: `/api/projects/${P}/whatif`, body: b })),
  fc.record({ preset: fc.constant('standard') }).map((b) => ({ method: 'POST', path: `/api/projects/${P}/policies`, body: b })),
  fc.constantFrom(...NASTY).map((name) => ({ method: 'POST', path: '/api/projects', body: { name, preset: 'no-such-preset' } })),
  fc.constantFrom(...NASTY).map((name) => ({ method: 'POST', path: '/api/projects', body: { id: name, name, preset: 'standard' } })),
  fc.constantFrom('nope', 'x'.repeat(300), '%27%3B').map((p) => ({ method: 'GET', path: `/api/projects/${p}/rotation` })),
  fc.constantFrom(...NASTY).map((s) => ({ method: 'POST', path: `/api/projects/${P}/staff`, body: { staff: s, role: 'emperor' } })),
  fc.constantFrom('-1', 'abc', '1e9999').map((n) => ({ method: 'GET', path: `/api/projects/${P}/events?afterSeq=${n}` })),
  fc.constantFrom(...NASTY).map((id) => ({ method: 'GET', path: `/api/projects/${P}/events/${encodeURIComponent(id)}` })),
);

warnSkips('server fuzz');

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`malformed requests on ${target.name}`, () => {
    let running: Running;
    beforeAll(async () => {
      running = await startServer(target.freshConfig());
      const base = running.url;
      expect((await api(base, 'POST', '/api/projects', { id: P, name: '模糊测试', preset: 'standard' })).status).toBe(201);
      for (const s of ['A', 'B', 'M', 'X']) await api(base, 'POST', `/api/projects/${P}/staff`, { staff: s, role: s === 'M' ? 'manager' : s === 'X' ? 'channel' : 'consultant' });
      await api(base, 'POST', `/api/projects/${P}/roster`, { order: ['A', 'B'] });
      expect((await api(base, 'POST', `/api/projects/${P}/events`, { id: 'seed', type: 'visit', customer, receivedBy: 'A', says: { firstVisit: true } })).body).toMatchObject({ status: 'accepted' });
    });
    afterAll(async () => {
      await running?.close();
      await cleanup();
    });

    it('2,000 malformed requests: 4xx problem+json, never 5xx, nothing recorded', async () => {
      const head = await running.store.head(P);
      const rows = await running.server.app.projectionRows(P);
      const projects = (await running.store.listProjects()).length;
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.oneof({ arbitrary: brokenEvent, weight: 3 }, { arbitrary: brokenOther, weight: 1 }), async (req) => {
          const res = await fetch(`${running.url}${req.path}`, {
            method: req.method,
            headers: { ...authHeaders(running.url), ...(req.raw !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
            body: req.raw ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
          });
          const text = await res.text();
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          expect(res.status, `${req.method} ${req.path} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${req.method} ${req.path} ${text.slice(0, 300)}`).toBeLessThan(500);
          expect(res.headers.get('content-type') ?? '').toContain('application/problem+json');
          const p = JSON.parse(text) as { status: number; code: string; title: string; type: string; detail: string };
          expect(p.status).toBe(res.status);
          expect(p.code).toMatch(/^[a-z-]+$/);
          expect(typeof p.title).toBe('string');
          expect(text).not.toMatch(/\bat .*\.ts:\d+/); // no stack traces
        }),
        { numRuns: 2000 },
      );
      expect(await running.store.head(P)).toEqual(head);
      expect(await running.server.app.projectionRows(P)).toEqual(rows);
      expect((await running.store.listProjects()).length).toBe(projects);
      expect(await running.store.verifyChain(P)).toMatchObject({ ok: true, count: head.seq });
      console.info(`[${target.name}] 2,000 malformed requests by status: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
    });
  });
}
