/**
 * Guishu storage layer: one Kysely query layer over SQLite (embedded default)
 * or PostgreSQL (when DATABASE_URL is set: src/config.ts storeConfig), an
 * append-only hash-chained event log, and projection tables. See docs/store.md.
 */
import type { StoreAdapter } from './adapter.js';
import { createEventStore, type EventStore, type EventStoreOptions } from './event-store.js';
import { openPostgresAdapter, type PostgresStoreConfig } from './postgres/index.js';
import { openSqliteAdapter, type SqliteStoreConfig } from './sqlite/index.js';

export type StoreConfig = (SqliteStoreConfig | PostgresStoreConfig) & EventStoreOptions;

/**
 * Opens the store and applies pending migrations before returning it. The
 * store reads no environment: the environment's store is
 * `storeConfig(config)` / `storeConfigFromEnv()` of src/config.ts.
 */
export async function openStore(config: StoreConfig): Promise<EventStore> {
  const adapter: StoreAdapter = config.kind === 'postgres' ? await openPostgresAdapter(config) : openSqliteAdapter(config);
  try {
    return await createEventStore(adapter, config);
  } catch (err) {
    await adapter.close().catch(() => {});
    throw err;
  }
}

export type {
  AppendOptions, ApplyProjections, ErasureOptions, EventStatus, EventStore, EventStoreOptions, Head, NewEvent, Project, ReadRange, ReplayedEvent, StoredEvent, VerifyResult,
} from './event-store.js';
export { toIsoTime } from './event-store.js';
export type { HeadNotice, StoreAdapter, Unlisten } from './adapter.js';
export { canonicalJson, sha256Hex } from './canonical.js';
export { GENESIS_HASH, hashEvent, personalDigest, sealPersonal, type HashedFields, type PersonalEnvelope } from './hash.js';
export { ConcurrencyError, DuplicateEventError, ProjectExistsError, ProjectNotFoundError, StoreError } from './errors.js';
export { isRetryable, withRetry, type RetryOptions } from './retry.js';
export { isDataError, isStorageFull, StorageUnavailableError } from './failures.js';
export { executeAll, pipelineTap } from './pipeline.js';
export { isStoredTable, rowWrites, STORED_KEYS, STORED_TABLES, writeRows, type CustomerListFilter, type CustomerListRow, type PolicyRow, type ProjectionChange, type ProjectionStore, type StoredRowChange, type StoredTable } from './projections.js';
export type { ErasureRecord, LogStore } from './log-store.js';
export type { AuditStore } from './audit-store.js';
export type { Checkpoint, CheckpointStore, CheckpointWrite } from './checkpoint-store.js';
export { GROUP_ID, type AccountsStore, type GrantRow, type LoginLocks, type SessionRow, type UserRoleRow, type UserRow } from './accounts-store.js';
export { candidateMaskKeys, findMaskedReports, maskedReportsQuery, maskKey, maskShape, maskShapes, type MaskedReportHit, type MaskShape } from './masks.js';
export { MIGRATIONS, migrate, type DialectName, type Migration } from './migrations/index.js';
export { PROJECT_TABLES } from './schema.js';
export type * from './schema.js';
export type { SqliteStoreConfig } from './sqlite/index.js';
export type { PostgresStoreConfig } from './postgres/index.js';
export { PostgresJsDialect } from './postgres/dialect.js';
