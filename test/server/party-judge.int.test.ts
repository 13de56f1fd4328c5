// Issue 11: a party (同行) visit judges each companion on their own, and the
// front desk sees it before registering (POST /judge answers `party`); a
// companion under a valid report goes to the report's agent and the report
// shows converted. Where the policy requires the name, a masked report whose
// name disagrees is not the customer, in the judge as at the registration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, cleanup, startServer, TARGETS, warnSkips, type Running } from './harness.ts';

warnSkips('party judge');
afterAll(cleanup);

const P = 'party';
const MAIN = '13955008101';
const REPORTED = '13955008102';
const FRESH = '13955008103';
const MASKED = '13955008104';

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`party and masked reports over HTTP on ${target.name}`, () => {
    let s: Running;
    const post = async (path: string, body: unknown) => api<Record<string, unknown>>(s.url, 'POST', `/api/projects/${P}${path}`, body);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    beforeAll(async () => {
      s = await startServer(target.freshConfig());
      expect((await api(s.url, 'POST', '/api/projects', { id: P, name: '同行', preset: 'standard', timezone: 'Asia/Shanghai' })).status).toBe(201);
      for (const m of [{ staff: 'A', name: '白露' }, { staff: 'B', name: '谷雨' }, { staff: 'P', name: '立夏', role: 'channel', agency: '甲渠道' }]) expect((await post('/staff', m)).status).toBe(201);
      expect((await post('/roster', { order: ['A', 'B'] })).status).toBe(201);
      const visit = await post('/events', { type: 'visit', at: ago(5), customer: { phone: MAIN, name: '秦川' }, receivedBy: 'A' });
      expect(visit.body.status).toBe('accepted');
      const r1 = await post('/events', { id: 'r-companion', type: 'report', at: ago(4), customer: { phone: REPORTED, name: '楚云' }, staff: 'P', expectedAt: new Date(Date.now() + 3_600_000).toISOString() });
      expect(r1.body.status).toBe('accepted');
      const r2 = await post('/events', { id: 'r-masked', type: 'report', at: ago(3), customer: { phone: '139***08104', name: '王' }, staff: 'P', expectedAt: new Date(Date.now() + 3_600_000).toISOString() });
      expect(r2.body.status).toBe('accepted');
    });
    afterAll(async () => s?.close());

    it('the judge answers for each companion before anything is recorded', async () => {
      const r = await post('/judge', { customer: { phone: MAIN }, party: [{ phone: REPORTED }, { phone: FRESH }] });
      expect(r.status).toBe(200);
      const party = r.body.party as { phone: string; outcome: string; owner: string; reportId: string | null; basis: { clause: string } }[];
      expect(r.body.owner).toBe('A');
      expect(party.find((m) => m.phone === REPORTED)).toMatchObject({ outcome: 'report', owner: 'P', reportId: 'r-companion', basis: { clause: 'channel-sms-report.2a' } });
      expect(party.find((m) => m.phone === FRESH)).toMatchObject({ outcome: 'follows', owner: 'A' });
      expect(party.find((m) => m.phone === FRESH)?.basis.clause).toMatch(/^consultant-rotation-detail\./);
    });

    it('a masked report under another name is not the customer; under an agreeing name it is', async () => {
      const wrong = await post('/judge', { customer: { phone: MASKED, name: '李明' } });
      expect(wrong.body.owner).not.toBe('P');
      const right = await post('/judge', { customer: { phone: MASKED, name: '王芳' } });
      expect(right.body.owner).toBe('P');
    });

    it('registering the party gives the reported companion to the agent and the report shows converted', async () => {
      const v = await post('/events', { type: 'visit', customer: { phone: MAIN, name: '秦川' }, party: [{ phone: REPORTED }, { phone: FRESH, name: '燕山' }], receivedBy: 'A' });
      expect(v.body.status).toBe('accepted');
      const card = await api<{ owner: string }>(s.url, 'GET', `/api/projects/${P}/customers/${REPORTED}`);
      expect(card.body.owner).toBe('P');
      const reports = await api<{ reports: { id: string; status: string }[] }>(s.url, 'GET', `/api/projects/${P}/reports`);
      expect(reports.body.reports.find((x) => x.id === 'r-companion')?.status).toBe('converted');
      expect(reports.body.reports.find((x) => x.id === 'r-masked')?.status).toBe('valid');
    });
  });
}
