// `guishu` subcommands that work on the store: the same GUISHU_DATA /
// DATABASE_URL as the server. See docs/operations.md.
import { parseArgs } from 'node:util';
import { openStore, type EventStore } from '../store/index.ts';
import type { WitnessLine } from '../ops/witness.ts';
import { configFromEnv, storeConfigFromEnv } from '../config.ts';

type Write = (line: string) => void;
const err = (line: string) => process.stderr.write(line + '\n');

async function withStore<T>(fn: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openStore(storeConfigFromEnv());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function verify(args: string[], write: Write): Promise<number> {
  const { values } = parseArgs({ args, options: { witness: { type: 'string', multiple: true } } });
  // Read the witness files first: a bad one is refused before the store is opened.
  const { readWitnessFile, checkWitness, WitnessFileError } = await import('../ops/witness.ts');
  const witnessed: WitnessLine[] = [];
  try {
    for (const f of values.witness ?? []) witnessed.push(...readWitnessFile(f));
  } catch (e) {
    if (e instanceof WitnessFileError) {
      err(`guishu verify: ${e.message}`);
      return 2;
    }
    throw e;
  }
  return withStore(async (store) => {
    let broken = 0;
    for (const project of await store.listProjects()) {
      const result = await store.verifyChain(project.projectId);
      if (result.ok) {
        write(`✓ ${project.projectId}: ${result.count} events, head ${result.head.seq} ${result.head.hash.slice(0, 12)}`);
      } else {
        broken++;
        write(`✗ ${project.projectId}: broken at seq ${result.seq} (${result.reason}): expected ${result.expected}, found ${result.found}`);
      }
    }
    // The audit log (src/auth/audit.ts): one hash chain per project, and '*' for group-wide acts.
    const { verifyAllAudit } = await import('../auth/audit.ts');
    for (const [id, r] of await verifyAllAudit(store)) {
      if (r.ok) write(`✓ audit ${id}: ${r.count} entries`);
      else {
        broken++;
        write(`✗ audit ${id}: broken at seq ${r.seq} (${r.reason}): expected ${r.expected}, found ${r.found}`);
      }
    }
    // Every erasure record is one an audited erasure made: the hash-chained audit row lists the seqs it blanked.
    for (const project of await store.listProjects()) {
      const stray = await erasuresWithoutAudit(store, project.projectId);
      if (stray.length) {
        broken++;
        write(`✗ ${project.projectId}: erasure records at seq ${stray.slice(0, 20).join(', ')}${stray.length > 20 ? ' …' : ''} (erasure-without-audit): no audited erasure lists them`);
      }
    }
    // Heads the server signed earlier (guishu witness): a log cut back or rewritten and re-hashed verifies above, not here.
    if (values.witness) {
      const w = await checkWitness(store, witnessed);
      for (const c of w.contradictions) write(`✗ witness ${c.projectId}: ${c.reason} at ${c.log} seq ${c.seq}: ${c.message}`);
      broken += w.contradictions.length;
      if (w.contradictions.length === 0) write(`✓ witness: ${w.checked} signed heads, the store holds every one`);
    }
    return broken === 0 ? 0 : 1;
  });
}

/**
 * Erasure records (the rows that let the database blank an event's personal data) that no audited erasure
 * explains. An audit row of an erasure made before its seqs were recorded explains every record of its project.
 */
async function erasuresWithoutAudit(store: EventStore, projectId: string): Promise<number[]> {
  const records = await store.erasureRecords(projectId);
  if (records.length === 0) return [];
  const audited = new Set<number>();
  for (const detail of await store.auditDetails(projectId, 'erase')) {
    const seqs = (JSON.parse(detail) as { seqs?: unknown }).seqs;
    if (!Array.isArray(seqs)) return [];
    for (const seq of seqs) audited.add(Number(seq));
  }
  return records.map((r) => r.seq).filter((seq) => !audited.has(seq));
}

async function importTimelineCommand(args: string[], write: Write): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { project: { type: 'string' }, name: { type: 'string' }, preset: { type: 'string' }, timezone: { type: 'string' }, batch: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    err('usage: guishu import-timeline FILE [--project ID] [--name NAME] [--preset P] [--timezone TZ] [--batch N]');
    return 2;
  }
  const { importTimeline, ImportError } = await import('../ops/import-timeline.ts');
  const batchSize = values.batch === undefined ? undefined : Number(values.batch);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    err(`--batch must be a whole number ≥ 1, got ${values.batch}`);
    return 2;
  }
  try {
    const r = await withStore((store) => importTimeline(store, { file, project: values.project, name: values.name, preset: values.preset, timezone: values.timezone, batchSize, log: err }));
    const rej = Object.entries(r.rejections).map(([k, v]) => `${k} ${v}`).join(', ');
    write(`${r.created ? 'created' : 'continued'} ${r.projectId}: ${r.events} events recorded (${r.accepted} accepted, ${r.rejected} rejected${rej ? `: ${rej}` : ''})${r.skipped ? `, ${r.skipped} already recorded and skipped` : ''}; head ${r.headSeq}`);
    write(`${r.seconds.toFixed(1)} s, ${r.eventsPerSecond} events/s`);
    return 0;
  } catch (e) {
    if (e instanceof ImportError) {
      err(`guishu import-timeline: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

async function rebuildCommand(args: string[], write: Write): Promise<number> {
  const { values } = parseArgs({ args, options: { project: { type: 'string' }, check: { type: 'boolean', default: false } } });
  const { GuishuApp } = await import('../app/office.ts');
  const { rebuildProject, formatDifference } = await import('../ops/rebuild.ts');
  return withStore(async (store) => {
    const app = new GuishuApp({ store });
    const ids = values.project ? [values.project] : (await store.listProjects()).map((p) => p.projectId);
    if (values.project && !(await store.getProject(values.project))) {
      err(`guishu rebuild: no project ${values.project}`);
      return 2;
    }
    let differing = 0;
    for (const id of ids) {
      // Personal data blanked behind the store's back (no erasure record): the replay stands in customers; verify names it too.
      const unexplained = await store.unexplainedErasures(id);
      if (unexplained.length > 0) {
        differing++;
        const list = unexplained.slice(0, 20).join(', ') + (unexplained.length > 20 ? ', …' : '');
        write(`! ${id}: ${unexplained.length} ${unexplained.length === 1 ? 'event lost its' : 'events lost their'} personal data without an erasure record (seq ${list}); replayed with stand-in customers — see guishu verify`);
      }
      let r;
      try {
        r = await rebuildProject(app, id, { check: values.check });
      } catch (e) {
        differing++;
        write(`✗ ${id}: cannot rebuild from the log: ${(e as Error).message}`);
        continue;
      }
      if (r.differences.length === 0) {
        write(`✓ ${id}: ${r.rows} projection rows at head ${r.headSeq} equal the log${r.rewritten ? ' (rewritten)' : ''}`);
        continue;
      }
      differing++;
      write(`✗ ${id}: ${r.differences.length} rows differed from the log at head ${r.headSeq}${r.rewritten ? ' — fixed: rewritten from the log' : ' — not changed (--check)'}`);
      for (const d of r.differences.slice(0, 200)) for (const line of formatDifference(d)) write(line);
      if (r.differences.length > 200) write(`  … and ${r.differences.length - 200} more`);
    }
    return differing === 0 ? 0 : 1;
  });
}

async function backupCommand(args: string[], write: Write): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    err('usage: guishu backup FILE');
    return 2;
  }
  const { backup } = await import('../ops/backup.ts');
  const r = await withStore((store) => backup(store, file));
  write(`backup ${r.file}: ${r.projects} projects, ${r.events} events, ${r.bytes} bytes, sha256 ${r.sha256}`);
  return 0;
}

async function restoreCommand(args: string[], write: Write): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    err('usage: guishu restore FILE   (into an empty database)');
    return 2;
  }
  const { restore, BackupError } = await import('../ops/backup.ts');
  try {
    const r = await withStore((store) => restore(store, file, { log: err }));
    for (const p of r.projects) write(`✓ ${p.projectId}: ${p.events} events, head ${p.head.slice(0, 12)} = the backup's`);
    write(`restored ${r.events} events in ${r.seconds.toFixed(1)} s`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      err(`guishu restore: refused: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

async function importXlsxCommand(args: string[], write: Write): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { project: { type: 'string' } } });
  const file = positionals[0];
  if (!file || positionals.length > 1 || !values.project) {
    err('usage: guishu import-xlsx FILE --project ID');
    return 2;
  }
  const { importXlsx, XlsxImportError, formatRowError } = await import('../ops/xlsx.ts');
  const { BulkError } = await import('../app/bulk.ts');
  try {
    const r = await withStore((store) => importXlsx(store, file, values.project!, { log: err }));
    const rej = Object.entries(r.rejections).map(([k, v]) => `${k} ${v}`).join(', ');
    write(`imported ${file} into ${r.projectId}: ${r.visits} visits, ${r.calls} calls (${r.accepted} accepted, ${r.rejected} rejected by the rules${rej ? `: ${rej}` : ''}); head ${r.headSeq}; ${r.seconds.toFixed(1)} s`);
    if (r.ignored.length) write(`columns read but not recorded (no such field on the events): ${r.ignored.join(', ')}`);
    return 0;
  } catch (e) {
    if (e instanceof XlsxImportError) {
      err(`guishu import-xlsx: ${file}: ${e.message}`);
      for (const x of e.errors) err(formatRowError(x));
      return 1;
    }
    if (e instanceof BulkError) {
      err(`guishu import-xlsx: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

async function exportXlsxCommand(args: string[], write: Write): Promise<number> {
  const { values } = parseArgs({ args, options: { project: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' } } });
  if (!values.project || !values.date) {
    err('usage: guishu export-xlsx --project ID --date YYYY-MM-DD [--out FILE]');
    return 2;
  }
  const { exportRegisters } = await import('../ops/xlsx.ts');
  const { loadSigner } = await import('../ops/signing.ts');
  const out = values.out ?? `${values.project}-${values.date}-登记表.xlsx`;
  try {
    // The server's key when this machine has it (never created here): the closing head is signed, else marked unsigned.
    const env = configFromEnv();
    const signer = loadSigner({ key: env.signingKey, dataDir: env.dataDir, create: false });
    const r = await withStore((store) => exportRegisters(store, values.project!, values.date!, out, { signer }));
    write(`${r.file}: ${r.visits} visits, ${r.calls} calls on ${values.date}; closing head seq ${r.closing.seq} ${r.closing.hash.slice(0, 16)}… ${r.closing.keyId ? `signed by ${r.closing.keyId}` : 'unsigned (no signing key on this machine)'}`);
    return 0;
  } catch (e) {
    err(`guishu export-xlsx: ${(e as Error).message}`);
    return 1;
  }
}

async function alertsCommand(args: string[], write: Write): Promise<number> {
  const { values } = parseArgs({ args, options: { project: { type: 'string' }, days: { type: 'string', default: '2' }, at: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const days = Number(values.days);
  if (!values.project || !Number.isInteger(days) || days < 0) {
    err('usage: guishu alerts --project ID [--days N] [--at "YYYY-MM-DD HH:mm"] [--json]');
    return 2;
  }
  const { GuishuApp } = await import('../app/office.ts');
  const { projectAlerts } = await import('../app/alerts.ts');
  const { parseLocalTime } = await import('../domain/time.ts');
  return withStore(async (store) => {
    const project = await store.getProject(values.project!);
    if (!project) {
      err(`guishu alerts: no project ${values.project}`);
      return 2;
    }
    let at: number | undefined;
    if (values.at) {
      at = parseLocalTime(values.at, project.timezone);
      if (at === undefined) {
        err(`--at: not a time: ${values.at}`);
        return 2;
      }
    }
    const alerts = await projectAlerts(new GuishuApp({ store }), project.projectId, { days, at });
    if (values.json) {
      write(JSON.stringify(alerts, null, 2));
      return 0;
    }
    if (alerts.length === 0) write(`no protection ends within ${days} days`);
    for (const a of alerts) {
      write(`${a.protectedUntilLocal}  ${a.daysLeft === 0 ? '今天到期' : `${a.daysLeft} 天后到期`}  ${a.name ?? ''} ${a.phone}  归属 ${a.owner}  依据 ${a.clause ?? '—'}${a.clauseText ? `「${a.clauseText.zh}」` : ''}`);
    }
    return 0;
  });
}

/** Runs a store subcommand; undefined when the command is not one of these. */
export async function runStoreCommand(command: string, args: string[], write: Write): Promise<number | undefined> {
  switch (command) {
    case 'verify':
      return verify(args, write);
    case 'import-timeline':
      return importTimelineCommand(args, write);
    case 'rebuild':
      return rebuildCommand(args, write);
    case 'backup':
      return backupCommand(args, write);
    case 'restore':
      return restoreCommand(args, write);
    case 'import-xlsx':
      return importXlsxCommand(args, write);
    case 'export-xlsx':
      return exportXlsxCommand(args, write);
    case 'alerts':
      return alertsCommand(args, write);
    default:
      return undefined;
  }
}
