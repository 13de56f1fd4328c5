// What kind of failure a database error is, on either database: the disk is
// full (the operator's to fix; nothing was written), or the database refused a
// value of the data (that write's own fault, not its neighbours').

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * No space left for the database: SQLite SQLITE_FULL (and the shared-memory
 * file of the WAL that cannot grow, SQLITE_IOERR_SHMSIZE), PostgreSQL 53100
 * disk_full.
 */
export function isStorageFull(err: unknown): boolean {
  const code = codeOf(err);
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === '53100') return true;
  // Node's own file errors (a WAL checkpoint, a backup) say so in errno terms.
  return code === 'ENOSPC';
}

/**
 * The database refused a value the statement carried, not the environment:
 * PostgreSQL data exceptions (class 22: a NUL in text, an invalid byte
 * sequence, a value out of range) and integrity violations (class 23) other
 * than a unique key (that is a lost race or a repeated id, handled apart);
 * SQLite constraint failures (CHECK, NOT NULL, a trigger's RAISE), a value
 * too big or of the wrong type; and the TypeError/RangeError the store throws
 * on a value it cannot encode (an invalid time). One such event in a group
 * commit is retried alone so that it fails alone.
 */
export function isDataError(err: unknown): boolean {
  const code = codeOf(err);
  // 22012 is the pipelined append's head guard (a lost race, mapped to ConcurrencyError by the store).
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return code !== '23505' && code !== '22012';
  if (code.startsWith('SQLITE_CONSTRAINT')) return code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH' || code === 'SQLITE_RANGE') return true;
  return code === '' && (err instanceof TypeError || err instanceof RangeError);
}

/** An error opening the database whose cause is the disk, with a message naming the data folder. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  constructor(message: string, readonly code: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
