// `guishu start`: migrations, then the office server on PORT (SQLite in
// GUISHU_DATA unless DATABASE_URL). Stops cleanly on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.ts';
import { buildServer } from '../server/index.ts';
import { openStore } from '../store/index.js';

export async function startCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } } });
  let config;
  try {
    config = loadConfig({ ...process.env, ...(values.port !== undefined ? { PORT: values.port } : {}), ...(values.host !== undefined ? { HOST: values.host } : {}) });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`guishu start: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'guishu' } });
  const store = await openStore(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'sqlite', dataDir: config.dataDir });
  logger.info({ database: store.dialect, migrationsApplied: store.migrationsApplied }, 'store open');
  const server = await buildServer({ store, logger });
  try {
    const address = await server.fastify.listen({ port: config.port, host: config.host });
    logger.info({ address }, 'guishu office server listening');
  } catch (e) {
    logger.error({ err: e }, 'cannot listen');
    await server.close().catch(() => {});
    await store.close().catch(() => {});
    return 1;
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
  await store.close();
  logger.info('stopped');
  return 0;
}
