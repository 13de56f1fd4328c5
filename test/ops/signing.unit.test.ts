// The head signer (src/ops/signing.ts): the key file created once with mode
// 0600 and reused, GUISHU_SIGNING_KEY as PEM or path, the exact signed bytes.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headMessage, KEY_FILE, loadSigner, SigningKeyError, verifyHead } from '../../src/ops/signing.ts';

const dir = mkdtempSync(join(tmpdir(), 'guishu-signing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('head signing', () => {
  it('creates the data folder key once (mode 0600) and signs with it after', () => {
    const data = join(dir, 'data');
    expect(loadSigner({ dataDir: data })).toBeUndefined(); // not created unless asked
    const a = loadSigner({ dataDir: data, create: true })!;
    const file = join(data, KEY_FILE);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadSigner({ dataDir: data, create: true })!;
    expect(b.keyId).toBe(a.keyId);
    expect(loadSigner({ key: file })!.keyId).toBe(a.keyId);
    expect(loadSigner({ key: readFileSync(file, 'utf8') })!.keyId).toBe(a.keyId);
  });

  it('signs exactly the canonical statement; any change breaks the signature', () => {
    const s = loadSigner({ key: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;
    const h = s.sign({ projectId: 'demo', log: 'events', seq: 2417, hash: 'ab'.repeat(32), signedAt: '2025-03-03T14:00:00.000Z' });
    expect(headMessage(h).toString('utf8')).toBe(`{"format":"guishu-head/1","hash":"${'ab'.repeat(32)}","keyId":"${s.keyId}","log":"events","projectId":"demo","seq":2417,"signedAt":"2025-03-03T14:00:00.000Z"}`);
    expect(Buffer.from(h.signature, 'base64')).toHaveLength(64);
    expect(verifyHead(h, s.publicKeyPem)).toBe(true);
    for (const forged of [{ ...h, seq: 2416 }, { ...h, hash: 'cd'.repeat(32) }, { ...h, log: 'audit' as const }, { ...h, projectId: 'other' }, { ...h, signedAt: '2025-03-04T14:00:00.000Z' }]) {
      expect(verifyHead(forged, s.publicKeyPem)).toBe(false);
    }
    const other = loadSigner({ key: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;
    expect(verifyHead(h, other.publicKeyPem)).toBe(false);
  });

  it('refuses a key that is not Ed25519, or not a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadSigner({ key: rsa })).toThrow(/not Ed25519/);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a key');
    expect(() => loadSigner({ key: junk })).toThrow(SigningKeyError);
    expect(() => loadSigner({ key: join(dir, 'missing.pem') })).toThrow(/cannot read/);
  });
});
