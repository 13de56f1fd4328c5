// The guishu command as people use it: simulate's contract (closing line, exit
// status, --json), explain's cited timeline and whatif's diff.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../bin/guishu.js', import.meta.url).pathname;
const shared = new URL('../scenarios/shared/', import.meta.url).pathname;

async function guishu(...args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run('node', [bin, ...args], { maxBuffer: 1 << 24 });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; code: number };
    return { stdout: err.stdout, code: err.code };
  }
}

describe('guishu simulate', { timeout: 60_000 }, () => {
  it('prints a line per expectation and closes with the counts', async () => {
    const { stdout, code } = await guishu('simulate', join(shared, '09-absent-owner-same-day-deal-commission-split.yaml'));
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe('3 passed, 0 failed');
  });

  it('fails with exit 1 and shows the actual value when an expectation does not hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guishu-'));
    const file = join(dir, 'wrong.yaml');
    writeFileSync(
      file,
      `title: 错误的期望
policy: { preset: standard }
staff: [{ id: A, name: 张伟 }, { id: B, name: 李娜 }]
customers: { c1: { name: 王先生, phone: "138 0013 8000" } }
events:
  - { at: 2025-01-02 09:00, type: duty, order: [A, B] }
  - { at: 2025-01-02 10:00, type: visit, customer: c1 }
expect:
  - { kind: owner, customer: c1, is: B }
`,
    );
    const { stdout, code } = await guishu('simulate', file);
    expect(code).toBe(1);
    expect(stdout).toContain('→ actual {"is":"A"');
    expect(stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('names the file, event and field of an unknown field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guishu-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `title: x\npolicy: { preset: standard }\nstaff: []\nevents:\n  - { at: 2025-01-02 09:00, type: duty, order: [], colour: red }\nexpect: []\n`);
    const { stdout, code } = await guishu('simulate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/bad\.yaml: events #1\.colour: unknown field/);
  });

  it('writes one JSON object per scenario with --json', async () => {
    const { stdout } = await guishu('simulate', '--json', join(shared, '21-same-unit-first-deposit-wins.yaml'));
    const json = JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n', stdout.length - 2))) as { file: string; results: { ok: boolean; actual: unknown }[] }[];
    expect(json).toHaveLength(1);
    expect(json[0]!.results.map((r) => r.ok)).toEqual([true, true]);
  });
});

describe('guishu explain', { timeout: 60_000 }, () => {
  it('tells the customer timeline with the clause of each decision, in Chinese', async () => {
    const { stdout, code } = await guishu('explain', join(shared, '09-absent-owner-same-day-deal-commission-split.yaml'), '--customer', 'c1');
    expect(code).toBe(0);
    expect(stdout).toContain('归属 曾敏');
    expect(stdout).toContain('彭磊 代 曾敏 接待');
    expect(stdout).toContain('reception-ab-split.4c');
    expect(stdout).toContain('reception-ab-split.4d「当天成交的');
  });

  it('speaks English with --lang en and stops at --at', async () => {
    const { stdout } = await guishu('explain', join(shared, '12-visit-protection-15-days-both-sides.yaml'), '--customer', 'c2', '--at', '2025-04-10 12:00', '--lang', 'en');
    expect(stdout).toContain('protected');
    expect(stdout).not.toContain('2025-04-17');
  });
});

describe('guishu whatif', { timeout: 60_000 }, () => {
  it('lists the deals whose split changes under another policy, with both bases', async () => {
    const { stdout } = await guishu('whatif', join(shared, '09-absent-owner-same-day-deal-commission-split.yaml'), '--policy', 'resource-template-3month', '--json');
    const diff = JSON.parse(stdout) as { owners: unknown[]; deals: { deal: string; beforeBasis: string; afterBasis: string }[] };
    expect(diff.owners).toEqual([]);
    expect(diff.deals).toHaveLength(1);
    expect(diff.deals[0]).toMatchObject({ deal: 'd1', beforeBasis: 'reception-ab-split.4d', afterBasis: 'resource-template-3month.1.2' });
  });

  it('lists the customers whose owner changes when a parameter is set', async () => {
    const { stdout } = await guishu('whatif', join(shared, '12-visit-protection-15-days-both-sides.yaml'), '--policy', 'shenyang-multi-team', '--set', 'visit_protection_days=30', '--json');
    const diff = JSON.parse(stdout) as { owners: { before: string; after: string }[] };
    expect(diff.owners).toEqual([expect.objectContaining({ before: 'D', after: 'A' })]);
  });
});
