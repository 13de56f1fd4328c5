// Signed chain heads (docs/verify.md "Signed heads"). The server signs the
// head of a project's event log and of its audit log with an Ed25519 key it
// keeps outside the database: the data folder's `signing-key.pem` (created at
// first start, mode 0600) or GUISHU_SIGNING_KEY (the PEM itself, or a path).
// A controller who keeps the signed heads (`guishu witness`) can then show
// that the log was later cut back or rewritten, even by someone who can edit
// the database and recompute every hash: they cannot sign.
//
// The signed bytes are the UTF-8 of the canonical JSON (src/store/canonical.ts)
// of exactly { format, projectId, log, seq, hash, signedAt, keyId } — keys in
// code-unit order: format, hash, keyId, log, projectId, seq, signedAt.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canonicalJson } from '../store/canonical.js';

export const HEAD_FORMAT = 'guishu-head/1';
export const KEY_FILE = 'signing-key.pem';

export type LogName = 'events' | 'audit';

/** What a head says: the log `log` of project `projectId` had `seq` entries, the last hashing to `hash`. */
export interface HeadStatement {
  projectId: string;
  log: LogName;
  seq: number;
  /** The hash of the entry at `seq` (64 zeros at seq 0). */
  hash: string;
  /** The server's clock when it signed (ISO-8601 UTC with ms). */
  signedAt: string;
}

export interface SignedHead extends HeadStatement {
  format: typeof HEAD_FORMAT;
  /** keyIdOf(the public key). */
  keyId: string;
  /** Ed25519 signature over headMessage(), base64. */
  signature: string;
}

export interface PublicKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  /** SPKI, PEM. */
  publicKeyPem: string;
}

export interface Signer extends PublicKeyInfo {
  sign(statement: HeadStatement): SignedHead;
}

export interface SigningOptions {
  /** GUISHU_SIGNING_KEY: a PKCS#8 PEM private key, or the path of a file holding one. */
  key?: string;
  /** GUISHU_DATA: where signing-key.pem is kept (default ./data). */
  dataDir?: string;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** The key id: the first 16 hex digits of SHA-256 over the public key's DER (SPKI) bytes. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** The exact bytes a head's signature covers. */
export function headMessage(h: HeadStatement & { keyId: string }): Buffer {
  return Buffer.from(canonicalJson({ format: HEAD_FORMAT, projectId: h.projectId, log: h.log, seq: h.seq, hash: h.hash, signedAt: h.signedAt, keyId: h.keyId }), 'utf8');
}

/** Whether `h` is signed by the key `publicKeyPem` (and names that key). */
export function verifyHead(h: SignedHead, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (h.format !== HEAD_FORMAT || keyIdOf(key) !== h.keyId) return false;
    return verify(null, headMessage(h), key, Buffer.from(h.signature, 'base64'));
  } catch {
    return false;
  }
}

export function signerFromKey(privateKey: KeyObject): Signer {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`the signing key is ${privateKey.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId,
    algorithm: 'Ed25519',
    publicKeyPem,
    sign(s) {
      const statement = { projectId: s.projectId, log: s.log, seq: s.seq, hash: s.hash, signedAt: s.signedAt, keyId };
      return { format: HEAD_FORMAT, ...statement, signature: sign(null, headMessage(statement), privateKey).toString('base64') };
    },
  };
}

function parsePrivate(pem: string, where: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new SigningKeyError(`${where}: not a PEM private key (${(e as Error).message})`);
  }
}

/**
 * The install's signer: GUISHU_SIGNING_KEY when given, else the data folder's
 * signing-key.pem — created (Ed25519, mode 0600) when `create` and missing.
 * Undefined when there is none and `create` is false (a CLI on another machine).
 */
export function loadSigner(opts: SigningOptions & { create?: boolean } = {}): Signer | undefined {
  const given = opts.key?.trim();
  if (given) {
    if (given.startsWith('-----BEGIN')) return signerFromKey(parsePrivate(given, 'GUISHU_SIGNING_KEY'));
    let text: string;
    try {
      text = readFileSync(given, 'utf8');
    } catch (e) {
      throw new SigningKeyError(`GUISHU_SIGNING_KEY: cannot read ${given} (${(e as Error).message})`);
    }
    return signerFromKey(parsePrivate(text, given));
  }
  const dir = resolve(opts.dataDir ?? './data');
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    if (!opts.create) return undefined;
    mkdirSync(dir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // 'wx': two servers starting at once on one folder keep the first key.
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return signerFromKey(parsePrivate(readFileSync(file, 'utf8'), file));
}
