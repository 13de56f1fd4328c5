// One validated configuration, read from the environment at start. A bad
// value stops the server with a message naming the variable. This is the one
// module that reads process.env: everything else is handed the parsed
// configuration (the server's: configSchema; the client commands' — witness,
// simulate --server —: cliConfigSchema).
import { z } from 'zod';
import { CHECKPOINT_EVERY } from './app/project-cache.ts';
import { LOGIN_RATE } from './auth/rate.ts';
import { DEFAULT_RECORD_TIME, type RecordTimeRule } from './domain/time-of-record.ts';
import type { StoreConfig } from './store/index.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const configSchema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(blankToUndefined, z.string().min(1).default('0.0.0.0')),
  /** The folder of the embedded SQLite database (guishu.db), unless DATABASE_URL is set; also the signing key's default home. */
  GUISHU_DATA: z.preprocess(blankToUndefined, z.string().min(1).default('./data')),
  /** Use PostgreSQL at this URL instead of SQLite. */
  DATABASE_URL: z.preprocess(blankToUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional()),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(LOG_LEVELS).default('info')),
  GUISHU_WARM: z.preprocess(blankToUndefined, z.enum(['all', 'none']).default('all')),
  GUISHU_CHECKPOINT_EVERY: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(10_000_000).default(CHECKPOINT_EVERY)),
  /** Projects held in memory at most (0: no limit); the one idle longest leaves first and comes back from its checkpoint. */
  GUISHU_WARM_PROJECTS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(100_000).default(0)),
  /**
   * glibc's own (read by the C library when the process starts; Guishu only checks it): allocations of this
   * many bytes or more are mapped, and given back to the system when freed. Unset, glibc raises its threshold
   * after the first large free, so a restored office's checkpoint parts (3-5 MB each) land in the heap and the
   * process keeps their pages: 20 offices cycled under GUISHU_WARM_PROJECTS=2 held 640 MiB, with 131072 350 MiB
   * (docs/operations.md "Memory"). `guishu start` warns when a warm-project limit runs without it on Linux.
   */
  MALLOC_MMAP_THRESHOLD_: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(33_554_432).optional()),
  /** Customer lookups (judge and card) a minute per consultant, front desk, channel or controller user (src/server/auth.ts). */
  GUISHU_JUDGE_RATE: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_000_000).optional()),
  /** The `admin` password set at first start (otherwise one is printed once). */
  GUISHU_ADMIN_PASSWORD: z.preprocess(blankToUndefined, z.string().min(1).optional()),
  /** Sign-in attempts a minute per client address (0: no limit). */
  GUISHU_LOGIN_RATE: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1_000_000).default(LOGIN_RATE)),
  /** Requests a minute per client address, any route (0: no limit; unset: ADDRESS_RATE under `guishu start`, none in a server built without it). */
  GUISHU_ADDRESS_RATE: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(100_000_000).optional()),
  /** Behind a reverse proxy: trust its X-Forwarded-For for the client's address (per-address limits), e.g. `1` (one hop) or `127.0.0.1`. */
  GUISHU_TRUST_PROXY: z.preprocess(blankToUndefined, z.string().regex(/^(\d+|true|[0-9a-fA-F.:/,\s]+)$/, 'a hop count, true, or addresses/CIDRs separated by commas').optional()),
  /** 1: demo mode — anyone may load the demo office and the sign-in page lists its accounts (read by src/server/demo.ts). */
  GUISHU_DEMO: z.preprocess(blankToUndefined, z.enum(['0', '1']).default('0')),
  /** The Ed25519 key that signs chain heads: a PEM private key, or the path of a file holding one (default: GUISHU_DATA/signing-key.pem, created at first start). */
  GUISHU_SIGNING_KEY: z.preprocess(blankToUndefined, z.string().min(1).optional()),
  /** Seconds a client's `at` may lie ahead of the server's clock (time of record). */
  GUISHU_CLOCK_AHEAD_S: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(3600).default(DEFAULT_RECORD_TIME.aheadMs / 1000)),
  /** Seconds a client's `at` may lie behind it before the event is 补登 (manager with a reason only). */
  GUISHU_CLOCK_BEHIND_S: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(86_400).default(DEFAULT_RECORD_TIME.behindMs / 1000)),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Replay every project's log right after listening (GUISHU_WARM=all, the default) or on first use (none). */
  warm: boolean;
  /** How far a client's `at` may stray from the server's clock (GUISHU_CLOCK_AHEAD_S, GUISHU_CLOCK_BEHIND_S). */
  recordTime: RecordTimeRule;
  /** Events appended between engine checkpoints of a project (GUISHU_CHECKPOINT_EVERY; 0: none, every start replays the whole log). */
  checkpointEvery: number;
  /** Projects held in memory at most (GUISHU_WARM_PROJECTS; 0: no limit). */
  warmProjects: number;
  /** MALLOC_MMAP_THRESHOLD_ as glibc read it at start (undefined: glibc's dynamic threshold). */
  mallocMmapThreshold?: number;
  /** GUISHU_JUDGE_RATE: customer lookups a minute per user; absent: the server's default (60). */
  judgeRate?: number;
  /** GUISHU_ADMIN_PASSWORD: the admin password at first start; absent: one is printed once. */
  adminPassword?: string;
  /** GUISHU_DEMO=1: anyone may load the demo office and the sign-in page lists its accounts. */
  demo: boolean;
  /** Sign-in attempts a minute per client address (GUISHU_LOGIN_RATE; 0: no limit). */
  loginRate: number;
  /**
   * Requests a minute per client address (GUISHU_ADDRESS_RATE; 0: no limit).
   * Absent: `guishu start` uses ADDRESS_RATE (src/auth/rate.ts); a server
   * built without it (tests, embedders) has no such limit.
   */
  addressRate?: number;
  /** GUISHU_TRUST_PROXY: Fastify's trustProxy (hops, true, or addresses); absent: the socket's address is the client's. */
  trustProxy?: number | boolean | string;
  /** GUISHU_SIGNING_KEY: the head-signing key (PEM or a path); absent: the data folder's signing-key.pem (src/ops/signing.ts). */
  signingKey?: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * The configuration of this process's environment, for the modules that also run without
 * `guishu start` passing it (tests, embedders, CLI commands): the same schema, so a variable is
 * read and validated in one place.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(env);
}

/** The configuration of this process's environment with some variables given on the command line instead (`guishu start --port/--host`). */
export function configFromEnvWith(overrides: NodeJS.ProcessEnv): Config {
  return loadConfig({ ...process.env, ...overrides });
}

/** The schema's values, or a ConfigError naming the first variable that is wrong. */
function parse<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? '(env)');
    throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(env[variable] ?? null)})`);
  }
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const c = parse(configSchema, env);
  const proxy = c.GUISHU_TRUST_PROXY?.trim();
  const trustProxy = proxy === undefined ? undefined : proxy === 'true' ? true : /^\d+$/.test(proxy) ? Number(proxy) : proxy;
  return { warmProjects: c.GUISHU_WARM_PROJECTS, mallocMmapThreshold: c.MALLOC_MMAP_THRESHOLD_, judgeRate: c.GUISHU_JUDGE_RATE, adminPassword: c.GUISHU_ADMIN_PASSWORD, demo: c.GUISHU_DEMO === '1', trustProxy, signingKey: c.GUISHU_SIGNING_KEY, port: c.PORT, host: c.HOST, dataDir: c.GUISHU_DATA, databaseUrl: c.DATABASE_URL, logLevel: c.LOG_LEVEL, warm: c.GUISHU_WARM === 'all', checkpointEvery: c.GUISHU_CHECKPOINT_EVERY, loginRate: c.GUISHU_LOGIN_RATE, addressRate: c.GUISHU_ADDRESS_RATE, recordTime: { aheadMs: c.GUISHU_CLOCK_AHEAD_S * 1000, behindMs: c.GUISHU_CLOCK_BEHIND_S * 1000 } };
}

/** The store a configuration names: DATABASE_URL set → PostgreSQL; otherwise SQLite in GUISHU_DATA. */
export function storeConfig(config: Pick<Config, 'databaseUrl' | 'dataDir'>): StoreConfig {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'sqlite', dataDir: config.dataDir };
}

const storeSchema = configSchema.pick({ GUISHU_DATA: true, DATABASE_URL: true });

/**
 * The store of this process's environment, reading only the store's variables
 * (DATABASE_URL, GUISHU_DATA): what the CLI's store commands open — the same
 * store as `guishu start` with the same environment.
 */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const c = parse(storeSchema, env);
  return storeConfig({ databaseUrl: c.DATABASE_URL, dataDir: c.GUISHU_DATA });
}

/** The variables of the commands that are a client of a running server (`guishu witness`, `guishu simulate --server`), not read by the server. */
export const cliConfigSchema = z.object({
  /** `guishu witness`: the bearer token to fetch signed heads with, when --token is not given. */
  GUISHU_TOKEN: z.preprocess(blankToUndefined, z.string().min(1).optional()),
  /** `guishu simulate --server`: the user to sign in as (with GUISHU_PASSWORD); unset: no sign-in. */
  GUISHU_USER: z.preprocess(blankToUndefined, z.string().min(1).optional()),
  /** `guishu simulate --server`: GUISHU_USER's password. */
  GUISHU_PASSWORD: z.preprocess(blankToUndefined, z.string().min(1).optional()),
});

export interface CliConfig {
  /** GUISHU_TOKEN: `guishu witness`'s bearer token when --token is not given. */
  token?: string;
  /** GUISHU_USER / GUISHU_PASSWORD: whom `guishu simulate --server` signs in as (both set, or no sign-in). */
  user?: string;
  password?: string;
}

export function cliConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const c = parse(cliConfigSchema, env);
  return { token: c.GUISHU_TOKEN, user: c.GUISHU_USER, password: c.GUISHU_PASSWORD };
}
