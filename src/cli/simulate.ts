// `guishu simulate PATH...`: replays scenario files and checks what the rules demand.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ScenarioError, parseScenario } from '../scenario/parse.ts';
import { LocalOffice, describe, runScenario, type ScenarioResult } from '../scenario/run.ts';
import type { CliConfig } from '../config.ts';

export async function scenarioFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new Error(`${p}: no such file or folder`);
    if (s.isDirectory()) {
      const entries = (await readdir(p)).sort();
      out.push(...(await scenarioFiles(entries.filter((e) => !e.startsWith('.')).map((e) => join(p, e)))));
    } else if (/\.ya?ml$/.test(p)) {
      out.push(p);
    }
  }
  return out;
}

export interface SimulateOptions {
  json: boolean;
  server?: string;
  /** With `server`: whom to sign in as (default: GUISHU_USER / GUISHU_PASSWORD, src/config.ts). */
  cli?: CliConfig;
  write: (line: string) => void;
}

export async function simulate(paths: string[], options: SimulateOptions): Promise<number> {
  const files = await scenarioFiles(paths);
  const results: ScenarioResult[] = [];
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    let result: ScenarioResult;
    try {
      const scenario = parseScenario(shown, await readFile(file, 'utf8'));
      if (options.server) {
        const { RemoteOffice } = await import('./remote-office.ts');
        const office = await RemoteOffice.open(options.server, scenario, options.cli);
        result = await runScenario(scenario, office);
      } else {
        result = await runScenario(scenario, new LocalOffice(scenario));
      }
    } catch (e) {
      // A file error names the file and field; anything else is our bug, reported for this file without stopping the others.
      const message = e instanceof ScenarioError ? e.message : `${shown}: internal error: ${(e as Error).stack ?? String(e)}`;
      result = { file: shown, title: '', results: [], error: message };
    }
    results.push(result);
    if (result.error) {
      failed++;
      if (!options.json) options.write(`✗ ${result.error}`);
      continue;
    }
    for (const r of result.results) {
      if (r.ok) passed++;
      else failed++;
      if (!options.json) {
        const mark = r.ok ? '✓' : '✗';
        const actual = r.ok ? '' : `  → actual ${JSON.stringify(r.actual)}${r.message ? ` (${r.message})` : ''}`;
        options.write(`${mark} ${shown}: ${describe(r.expectation)}${actual}`);
      }
    }
  }
  if (options.json) options.write(JSON.stringify(results, null, 2));
  options.write(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
