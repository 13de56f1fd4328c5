// THE CRASH TEST: `guishu import-xlsx` of a 10,000-row register is killed
// (SIGKILL) while its one transaction is open; the log must verify and hold
// the file wholly or not at all. Then the same command, run to the end,
// records all 10,000 rows.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { cleanup, officeWithStaff, tempDir } from './helpers.ts';

afterAll(cleanup);

const ROOT = join(import.meta.dirname, '..', '..');
const ROWS = 10_000;

async function bigRegister(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('来访登记表');
  ws.addRow(['日期', '时间', '客户姓名', '联系电话', '置业顾问', '来源', '意向']);
  for (let i = 0; i < ROWS; i++) {
    const day = 2 + Math.floor(i / 400); // 400 visits a day from 2 March
    const minute = 9 * 60 + Math.floor(((i % 400) * 540) / 400);
    const date = `2025-${day <= 31 ? '03' : '04'}-${String(day <= 31 ? day : day - 31).padStart(2, '0')}`;
    ws.addRow([date, `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`, `客户${i}`, `139${String(10_000_000 + i * 7).slice(-8)}`, i % 2 ? '杜若曦' : '唐超', '', '']);
  }
  await wb.xlsx.writeFile(file);
}

async function visits(dataDir: string): Promise<number> {
  const store = await openStore({ kind: 'sqlite', dataDir });
  try {
    const r = await store.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('project_id', '=', 'p1').where('type', '=', 'visit').executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await store.close();
  }
}

describe('crash during import-xlsx (SQLite, child process, SIGKILL)', () => {
  it('leaves the file wholly out (or in), and the chain verifies', async () => {
    const dataDir = tempDir('crash');
    const setup = await openStore({ kind: 'sqlite', dataDir });
    await officeWithStaff(setup, 'p1');
    await setup.close();
    const file = join(tempDir('crash-file'), 'big.xlsx');
    await bigRegister(file);
    const env = { ...process.env, GUISHU_DATA: dataDir, DATABASE_URL: '' };
    const bin = join(ROOT, 'bin/guishu.js');

    const child = spawn(process.execPath, [bin, 'import-xlsx', file, '--project', 'p1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killedAt = '';
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // The transaction is open (events inserted, projection rows being written, not committed): kill now.
      if (!killedAt && stderr.includes('transaction open')) {
        killedAt = stderr.split('\n').find((line) => line.includes('transaction open')) ?? '';
        child.kill('SIGKILL');
      }
    });
    const { code, signal } = await exit;
    expect(killedAt, stderr).toContain('transaction open');
    expect(signal, `the import finished before the kill (code ${code})`).toBe('SIGKILL');

    const verify = spawnSync(process.execPath, [bin, 'verify'], { env, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('✓ p1');
    const after = await visits(dataDir);
    expect([0, ROWS]).toContain(after);
    console.log(`[crash] killed at "${killedAt}" → ${after} visit events after recovery; verify: ${verify.stdout.trim()}`);
    expect(after).toBe(0); // killed before the commit: nothing

    // The same command run to the end records the whole file.
    const full = spawnSync(process.execPath, [bin, 'import-xlsx', file, '--project', 'p1'], { env, encoding: 'utf8' });
    expect(full.status, full.stderr).toBe(0);
    expect(full.stdout).toContain(`${ROWS} visits`);
    expect(await visits(dataDir)).toBe(ROWS);
    const verify2 = spawnSync(process.execPath, [bin, 'verify'], { env, encoding: 'utf8' });
    expect(verify2.status).toBe(0);
  });
});
