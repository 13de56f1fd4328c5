/** Base class so callers can tell store failures from everything else. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * append() was called with an expectedHeadSeq that is no longer the head:
 * someone else appended first. Nothing was written; re-read, re-decide, retry
 * (see withRetry).
 */
export class ConcurrencyError extends StoreError {
  override name = 'ConcurrencyError';
  constructor(
    readonly projectId: string,
    readonly expectedHeadSeq: number,
    readonly actualHeadSeq: number,
  ) {
    super(`project ${projectId}: expected head_seq ${expectedHeadSeq}, found ${actualHeadSeq}`);
  }
}

export class ProjectNotFoundError extends StoreError {
  override name = 'ProjectNotFoundError';
  constructor(readonly projectId: string) {
    super(`project ${projectId} does not exist`);
  }
}

export class ProjectExistsError extends StoreError {
  override name = 'ProjectExistsError';
  constructor(readonly projectId: string) {
    super(`project ${projectId} already exists`);
  }
}

/** An event_id already stored in this project (event ids are unique per project). */
export class DuplicateEventError extends StoreError {
  override name = 'DuplicateEventError';
  constructor(readonly projectId: string, readonly detail: string) {
    super(`project ${projectId}: duplicate event id (${detail})`);
  }
}
