// The shared scenarios through the HTTP API (`simulate --server`) give exactly
// the in-process results, on SQLite and (when DATABASE_URL is set) PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/cli/simulate.ts';
import { cleanup, startServer, TARGETS, warnSkips } from './harness.ts';

const SHARED = 'test/scenarios/shared';
warnSkips('server scenarios');

async function run(server?: string): Promise<{ code: number; json: string; summary: string }> {
  const lines: string[] = [];
  const code = await simulate([SHARED], { json: true, server, write: (l) => lines.push(l) });
  return { code, json: lines.slice(0, -1).join('\n'), summary: lines.at(-1) ?? '' };
}

afterAll(cleanup);

describe('simulate in process', () => {
  it('runs the shared scenarios', async () => {
    const local = await run();
    expect(local.summary).toMatch(/^\d+ passed, 0 failed$/);
  });
});

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`simulate --server on ${target.name}`, () => {
    it('gives exactly the in-process results', async () => {
      const local = await run();
      const running = await startServer(target.freshConfig());
      try {
        const remote = await run(running.url);
        expect(remote.summary).toBe(local.summary);
        expect(JSON.parse(remote.json)).toEqual(JSON.parse(local.json));
        expect(remote.json).toBe(local.json);
        // every project's chain verifies, and a rebuild gives identical projection rows
        for (const p of await running.store.listProjects()) {
          expect(await running.store.verifyChain(p.projectId)).toMatchObject({ ok: true });
          const before = await running.server.app.projectionRows(p.projectId);
          await running.server.app.rebuildProjections(p.projectId);
          expect(await running.server.app.projectionRows(p.projectId)).toEqual(before);
        }
      } finally {
        await running.close();
      }
    });
  });
}
