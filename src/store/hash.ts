import { randomBytes } from 'node:crypto';
import { canonicalJson, sha256Hex } from './canonical.js';

/** prev_hash of seq 1: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Exactly the fields covered by an event's hash. recorded_at is deliberately
 * NOT covered (it is the server's clock, informative only) and neither is the
 * personal data itself: only its salted digest, so that erasing `personal`
 * leaves every hash valid.
 */
export interface HashedFields {
  project_id: string;
  seq: number;
  event_id: string;
  type: string;
  at: string;
  recorded_by: string | null;
  /** The payload as a JSON value (not its text): canonicalisation makes it stable. */
  payload: unknown;
  personal_digest: string | null;
  status: 'accepted' | 'rejected';
  rejection_code: string | null;
  prev_hash: string;
}

/**
 * The one hash implementation, used by append and by verifyChain:
 * SHA-256 hex over canonicalJson of exactly the HashedFields.
 */
export function hashEvent(f: HashedFields): string {
  return sha256Hex(canonicalJson({
    project_id: f.project_id,
    seq: f.seq,
    event_id: f.event_id,
    type: f.type,
    at: f.at,
    recorded_by: f.recorded_by,
    payload: f.payload,
    personal_digest: f.personal_digest,
    status: f.status,
    rejection_code: f.rejection_code,
    prev_hash: f.prev_hash,
  }));
}

/** What the `personal` column holds: the data plus the salt of its digest. */
export interface PersonalEnvelope {
  salt: string;
  data: unknown;
}

/**
 * personal_digest = sha256hex(salt || canonicalJson(data)), salt = 16 random
 * bytes as hex, concatenated as text. The salt matters: phone numbers are
 * low-entropy and an unsalted digest could be brute-forced back to the phone.
 * The salt lives in the `personal` column, so erasure removes it too.
 */
export function personalDigest(salt: string, data: unknown): string {
  return sha256Hex(salt + canonicalJson(data));
}

export function sealPersonal(data: unknown, salt: string = randomBytes(16).toString('hex')): { envelope: PersonalEnvelope; digest: string } {
  return { envelope: { salt, data }, digest: personalDigest(salt, data) };
}
