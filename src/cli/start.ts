// `guishu start`: migrations, then the office server on PORT (SQLite in
// GUISHU_DATA unless DATABASE_URL). Stops cleanly on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { createLogger } from '../server/logging.ts';
import { ConfigError, configFromEnvWith, storeConfig } from '../config.ts';
import { ADDRESS_RATE } from '../auth/rate.ts';
import { loadClauses } from '../app/clauses.ts';
import { GuishuApp } from '../app/office.ts';
import { buildServer } from '../server/index.ts';
import { isStorageFull, openStore, StorageUnavailableError } from '../store/index.js';

export async function startCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } } });
  let config;
  try {
    config = configFromEnvWith({ ...(values.port !== undefined ? { PORT: values.port } : {}), ...(values.host !== undefined ? { HOST: values.host } : {}) });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`guishu start: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let store;
  try {
    store = await openStore(storeConfig(config));
  } catch (e) {
    // A full disk (or a folder that cannot be opened) is said in words, naming the folder, not as SQLITE_IOERR_SHMSIZE.
    if (!(e instanceof StorageUnavailableError) && !isStorageFull(e)) throw e;
    const where = config.databaseUrl ? 'the database server' : `the data folder ${config.dataDir}`;
    process.stderr.write(`guishu start: ${e instanceof StorageUnavailableError ? e.message : `the disk holding ${where} is full (${String((e as { code?: unknown }).code)}); free some space there and start again`}\n`);
    return 1;
  }
  logger.info({ database: store.dialect, migrationsApplied: store.migrationsApplied }, 'store open');
  if (config.warmProjects > 0 && config.mallocMmapThreshold === undefined && process.platform === 'linux') {
    logger.warn({ warmProjects: config.warmProjects }, 'GUISHU_WARM_PROJECTS without MALLOC_MMAP_THRESHOLD_: the offices that leave memory may not give it back to the system; start with MALLOC_MMAP_THRESHOLD_=131072 (docs/operations.md, "Memory")');
  }
  const server = await buildServer({ store, logger, auth: { loginRate: config.loginRate, addressRate: config.addressRate ?? ADDRESS_RATE, judgeRate: config.judgeRate, adminPassword: config.adminPassword }, signing: { key: config.signingKey, dataDir: config.dataDir }, recordTime: config.recordTime, trustProxy: config.trustProxy, app: new GuishuApp({ store, checkpointEvery: config.checkpointEvery, warmProjects: config.warmProjects }) });
  server.app.on('checkpoint-failed', ({ projectId, error }: { projectId: string; error: unknown }) => logger.warn({ err: error, project: projectId }, 'checkpoint not saved'));
  try {
    const address = await server.fastify.listen({ port: config.port, host: config.host });
    logger.info({ address }, 'guishu office server listening');
  } catch (e) {
    logger.error({ err: e }, 'cannot listen');
    await server.close().catch(() => {});
    await store.close().catch(() => {});
    return 1;
  }
  // Warm up right after listening, in the background: the clause texts every reason cites and each
  // project's cache (its log replayed), so the front desk's first question of the day does not wait
  // for them. GUISHU_WARM=none leaves each project to load on its first request. With a warm-project
  // limit (GUISHU_WARM_PROJECTS), only that many are loaded: the rest load on first use.
  if (config.warm) {
    void (async () => {
      const t0 = performance.now();
      loadClauses();
      const listed = await store.listProjects();
      const projects = config.warmProjects > 0 ? listed.slice(0, config.warmProjects) : listed;
      for (const p of projects) await server.app.warm(p.projectId).catch((err: unknown) => logger.warn({ err, project: p.projectId }, 'warm-up failed'));
      logger.info({ projects: projects.length, ms: Math.round(performance.now() - t0) }, 'projects warm');
    })().catch((err: unknown) => logger.warn({ err }, 'warm-up failed'));
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took over 10 s; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  await server.close();
  // A checkpoint of every project that moved since its last one: the next start replays only what follows.
  const saved = await server.app.checkpointAll().catch((err: unknown) => {
    logger.warn({ err }, 'checkpoints at shutdown failed');
    return 0;
  });
  if (saved > 0) logger.info({ projects: saved }, 'checkpoints saved');
  await store.close();
  logger.info('stopped');
  return 0;
}
