// Cache checkpoints: a project's engine state (timeline + projector) after
// the event at `seq`, saved so that a later start restores it and replays only
// the events after it instead of the whole log.
//
// A checkpoint is only valid for the engine code that wrote it — the engine's
// decisions depend on that code — so it carries ENGINE_FINGERPRINT, and a
// reader compares it with its own before trusting the checkpoint (decode can
// do that from the header alone, before deserializing anything).
//
// The encoding (format 5) is a header and parts. The store keeps the header
// in the project's `checkpoints` row and each part in a row of its own
// (`checkpoint_parts`), and a save writes them one at a time
// (encodeCheckpointParts): a part is serialised, written and let go before
// the next — a 50,000-customer office's state is some 50 MB serialised, which
// whole and concatenated was in memory two or three times over at once. The
// header (written last: it lists the parts):
//
//   0      4   magic "GSCP"
//   4      4   format (uint32 BE)
//   8      64  fingerprint (sha256 hex, ASCII)
//   72     4   part count n (uint32 BE)
//   76     8n  each part: length (uint32 BE), CRC-32 (uint32 BE)
//   76+8n  4   CRC-32 of the header's bytes before it (uint32 BE)
//
// A part missing, out of place, cut short or altered fails its length or
// CRC, and the whole checkpoint is refused (CheckpointError: replay the log).
// encodeCheckpoint/decodeCheckpoint are the same in one buffer (the header,
// then the parts), for tests and tools.
//
// Part 0 is `v8.serialize` of the CacheCheckpoint with the state's customers,
// the projector and the `lazy` entries left out (and their layout in); then
// the projector, each `lazy` entry, and the customers, sharded by phone
// (`shardOf`), each `[rank, phone, customer, …]`. A restore decodes part 0;
// the projector and each `lazy` entry decode when first read (a restart at
// the head writes nothing before its first write), and the shards go to a
// LazyCustomers map, which decodes a shard when a phone of it is first
// asked for and the rest in the background (lazy-customers.ts): the first
// answer after a start does not wait for every customer. Each keeps its own
// part's bytes until it decodes, then lets them go. References shared
// inside the engine state stay shared within a part; a customer's objects are
// its own (the engine never shares a customer's mutable parts with another
// customer or the rest of the state; the round-trip tests check the outcomes).
//
// Only magic and format are fixed for every format; the rest may change with it.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { crc32 } from 'node:zlib';
import { engineFingerprint, engineSourceDigest } from '../../scripts/engine-fingerprint.mjs';
import type { Customer } from '../domain/engine/state.ts';
import type { TimelineCheckpoint } from '../domain/engine/timeline.ts';
import { LazyCustomers, shardOf, type ShardEntries } from './lazy-customers.ts';
import type { ProjectorCheckpoint } from './projector.ts';

/**
 * v8.deserialize, except that a typed array is a copy: Node's deserializer
 * makes it a view into the buffer being read, which would keep the whole
 * checkpoint alive for as long as the array lives (the id filter's bits: for
 * the life of the cache).
 */
class OwnArrays extends v8.DefaultDeserializer {
  // Node's hook for host objects (typed arrays), not in @types/node.
  _readHostObject(): unknown {
    const view = (v8.DefaultDeserializer.prototype as unknown as { _readHostObject(this: v8.Deserializer): unknown })._readHostObject.call(this) as ArrayBufferView;
    if (Buffer.isBuffer(view)) return Buffer.from(view);
    const Ctor = view.constructor as new (source: ArrayBufferView) => ArrayBufferView;
    return new Ctor(view);
  }
}

function deserialize(bytes: Uint8Array): unknown {
  const d = new OwnArrays(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  d.readHeader();
  return d.readValue();
}

// The closures below live as long as the cache: made here, outside decodeCheckpointParts, they hold only
// what they need — a closure made inside it would keep all of its variables, every part among them, alive.

/**
 * A property decoded when first read, from its part's bytes, which it lets go then. (A part is its own
 * buffer when it comes from the store; decodeCheckpoint's are views into one, which stays alive until
 * every one of them has decoded: tests and tools only.)
 */
function lazyPart(part: Uint8Array): PropertyDescriptor {
  let bytes: Uint8Array | null = part;
  let value: unknown;
  return {
    enumerable: true,
    get: () => {
      if (bytes) {
        value = deserialize(bytes);
        bytes = null;
      }
      return value;
    },
  };
}

function installLazyCustomers(state: CacheCheckpoint['timeline']['state'], shards: Uint8Array[]): void {
  const lazy = new LazyCustomers(shards, (plain: Map<string, Customer>) => {
    // Complete: the plain map takes the lazy one's place in the state (the lazy one delegates to it meanwhile).
    if (state.customers === lazy) state.customers = plain;
  });
  state.customers = lazy;
}

/** The encoding's version. Bump it when the header, the payload's shape or what the engine state holds changes. */
export const CHECKPOINT_FORMAT = 5;

/** Customers per shard, about: one shard decodes in a few tens of milliseconds. */
const CUSTOMERS_PER_SHARD = 4_096;

export interface CacheCheckpoint<Extra = unknown> {
  format: number;
  /** ENGINE_FINGERPRINT of the code that wrote it. */
  fingerprint: string;
  /** The last event included: its seq and hash. */
  seq: number;
  hash: string;
  timeline: TimelineCheckpoint;
  projector: ProjectorCheckpoint;
  /** Whatever else the caller keeps beside the engine (structured-clone-able). */
  extra: Extra;
  /** More of it, each entry decoded only when first read (large parts a start does not need at once). */
  lazy?: Record<string, unknown>;
}

/** How the parts after the core are laid out (in the core, so a reader knows without guessing). */
interface Layout {
  lazy: string[];
  shards: number;
}

export type CheckpointErrorReason = 'not-a-checkpoint' | 'format' | 'fingerprint' | 'corrupt';

/** A buffer that cannot be used as a checkpoint here. `reason` says why; every case means: replay the log instead. */
export class CheckpointError extends Error {
  constructor(
    readonly reason: CheckpointErrorReason,
    message: string,
  ) {
    super(`checkpoint ${reason}: ${message}`);
    this.name = 'CheckpointError';
  }
}

// ---------------------------------------------------------------- fingerprint

declare const __GUISHU_ENGINE_SOURCE_DIGEST__: string | undefined;

function sourceDigest(): { digest: string; from: 'build' | 'sources' | 'unavailable' } {
  // The bundle (scripts/build-server.mjs) has the digest of the sources it was built from.
  if (typeof __GUISHU_ENGINE_SOURCE_DIGEST__ === 'string') return { digest: __GUISHU_ENGINE_SOURCE_DIGEST__, from: 'build' };
  try {
    return { digest: engineSourceDigest(fileURLToPath(new URL('../..', import.meta.url))), from: 'sources' };
  } catch {
    // Neither: a digest nothing else has, so no checkpoint is ever taken for this code's.
    return { digest: `unavailable ${randomUUID()}`, from: 'unavailable' };
  }
}

const DIGEST = sourceDigest();

/** Where the fingerprint's source digest came from: the build's `define`, the source files beside this module, or neither (then it matches no checkpoint). */
export const ENGINE_FINGERPRINT_SOURCE: 'build' | 'sources' | 'unavailable' = DIGEST.from;

/**
 * sha256 (hex) over the checkpoint format, the V8 major version and the
 * digest of the engine's sources (scripts/engine-fingerprint.mjs: every
 * non-test src/domain/**\/*.ts, src/app/projector.ts, this file and
 * src/store/masks.ts).
 */
export const ENGINE_FINGERPRINT: string = engineFingerprint(CHECKPOINT_FORMAT, process.versions.v8, DIGEST.digest);

// ------------------------------------------------------------------- encoding

const MAGIC = Buffer.from('GSCP', 'latin1');
/** The header up to the part list. */
const FIXED_BYTES = 76;

export interface CheckpointPartInfo {
  bytes: number;
  crc: number;
}

export interface CheckpointHeader {
  format: number;
  fingerprint: string;
  /** Each part's length and CRC-32, in part order. */
  parts: CheckpointPartInfo[];
  /** The header's own length (80 bytes and 8 a part); in decodeCheckpoint's buffer, the parts follow it. */
  headerBytes: number;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function headerOf(fingerprint: string, parts: readonly CheckpointPartInfo[]): Buffer {
  const b = Buffer.alloc(FIXED_BYTES + 8 * parts.length + 4);
  MAGIC.copy(b, 0);
  b.writeUInt32BE(CHECKPOINT_FORMAT, 4);
  b.write(fingerprint, 8, 64, 'latin1');
  b.writeUInt32BE(parts.length, 72);
  parts.forEach((p, i) => {
    b.writeUInt32BE(p.bytes, FIXED_BYTES + 8 * i);
    b.writeUInt32BE(p.crc, FIXED_BYTES + 8 * i + 4);
  });
  const end = b.length - 4;
  b.writeUInt32BE(crc32(b.subarray(0, end)), end);
  return b;
}

/**
 * The checkpoint's parts, one at a time: each is serialised when asked for
 * (let it go before asking for the next), and the generator returns the
 * header that lists them (see the top of this file). The state must not
 * change until the generator is done (the app saves on the project's mutex).
 */
export function encodeCheckpointParts<Extra = unknown>(cp: CacheCheckpoint<Extra>): Generator<Buffer, Buffer, undefined> {
  if (cp.format !== CHECKPOINT_FORMAT) throw new Error(`encodeCheckpoint: format ${cp.format}, this code writes ${CHECKPOINT_FORMAT}`);
  if (!/^[0-9a-f]{64}$/.test(cp.fingerprint)) throw new Error('encodeCheckpoint: the fingerprint is not a sha256 hex digest');
  return partsOf(cp);
}

function* partsOf(cp: CacheCheckpoint<unknown>): Generator<Buffer, Buffer, undefined> {
  const state = cp.timeline?.state as CacheCheckpoint['timeline']['state'] | undefined;
  const shardCount = state ? Math.max(1, Math.ceil(state.customers.size / CUSTOMERS_PER_SHARD)) : 0;
  const shards: ShardEntries[] = Array.from({ length: shardCount }, () => []);
  if (state) {
    let rank = 0;
    for (const [phone, customer] of state.customers) shards[shardOf(phone, shardCount)]!.push(rank++, phone, customer);
  }
  const lazyKeys = Object.keys(cp.lazy ?? {});
  const layout: Layout = { lazy: lazyKeys, shards: shardCount };
  const listed: CheckpointPartInfo[] = [];
  const part = (value: unknown): Buffer => {
    const bytes = v8.serialize(value);
    listed.push({ bytes: bytes.length, crc: crc32(bytes) });
    return bytes;
  };
  yield part({ ...cp, timeline: state ? { ...cp.timeline, state: { ...state, customers: new Map() } } : cp.timeline, projector: null, lazy: undefined, layout });
  yield part(cp.projector);
  for (const k of lazyKeys) yield part(cp.lazy![k]);
  for (let i = 0; i < shardCount; i++) {
    const entries = shards[i]!;
    shards[i] = [];
    yield part(entries);
  }
  return headerOf(cp.fingerprint, listed);
}

/** The checkpoint in one buffer: the header, then the parts (tests and tools; the store writes them apart). */
export function encodeCheckpoint<Extra = unknown>(cp: CacheCheckpoint<Extra>): Buffer {
  const parts: Buffer[] = [];
  const it = encodeCheckpointParts(cp);
  for (;;) {
    const next = it.next();
    if (next.done) return Buffer.concat([next.value, ...parts]);
    parts.push(next.value);
  }
}

/**
 * The header at the start of `buf` (a header, or decodeCheckpoint's buffer;
 * cheap: nothing is deserialized). Throws CheckpointError for bytes that are
 * not a checkpoint header of this format.
 */
export function readCheckpointHeader(buf: Uint8Array): CheckpointHeader {
  const b = asBuffer(buf);
  if (b.length < 8 || !b.subarray(0, 4).equals(MAGIC)) throw new CheckpointError('not-a-checkpoint', 'no checkpoint header');
  const format = b.readUInt32BE(4);
  if (format !== CHECKPOINT_FORMAT) throw new CheckpointError('format', `format ${format}; this code reads format ${CHECKPOINT_FORMAT}`);
  if (b.length < FIXED_BYTES) throw new CheckpointError('corrupt', `truncated header (${b.length} bytes)`);
  const n = b.readUInt32BE(72);
  const headerBytes = FIXED_BYTES + 8 * n + 4;
  if (b.length < headerBytes) throw new CheckpointError('corrupt', `truncated header (${b.length} bytes, ${n} parts need ${headerBytes})`);
  if (crc32(b.subarray(0, headerBytes - 4)) !== b.readUInt32BE(headerBytes - 4)) throw new CheckpointError('corrupt', 'header checksum mismatch');
  const parts: CheckpointPartInfo[] = [];
  for (let i = 0; i < n; i++) parts.push({ bytes: b.readUInt32BE(FIXED_BYTES + 8 * i), crc: b.readUInt32BE(FIXED_BYTES + 8 * i + 4) });
  return { format, fingerprint: b.toString('latin1', 8, 72), parts, headerBytes };
}

function checkFingerprint(header: CheckpointHeader, expect: { fingerprint?: string }): void {
  if (expect.fingerprint !== undefined && header.fingerprint !== expect.fingerprint) {
    throw new CheckpointError('fingerprint', `written by engine ${header.fingerprint.slice(0, 12)}…, this is ${expect.fingerprint.slice(0, 12)}…`);
  }
}

/**
 * The checkpoint of `header` and its `parts` (in part order), as the store
 * keeps them. Throws CheckpointError (never returns a partial one):
 * `not-a-checkpoint`, `format` (another format version), `corrupt` (a part
 * missing, truncated or altered, a header that does not check, or something
 * undecodable), and — when `expect.fingerprint` is given, checked from the
 * header before any part is looked at — `fingerprint` (written by other
 * engine code; replay instead). The decoded checkpoint keeps the parts it has
 * not decoded yet (the projector, the `lazy` entries, the customer shards),
 * each until it decodes.
 */
export function decodeCheckpointParts<Extra = unknown>(header: Uint8Array, parts: readonly Uint8Array[], expect: { fingerprint?: string } = {}): CacheCheckpoint<Extra> {
  const h = readCheckpointHeader(header);
  checkFingerprint(h, expect);
  if (header.byteLength !== h.headerBytes) throw new CheckpointError('corrupt', `${header.byteLength} header bytes, the header says ${h.headerBytes}`);
  return decodeParts<Extra>(h, parts);
}

/** decodeCheckpointParts of encodeCheckpoint's one buffer. */
export function decodeCheckpoint<Extra = unknown>(buf: Uint8Array, expect: { fingerprint?: string } = {}): CacheCheckpoint<Extra> {
  const b = asBuffer(buf);
  const h = readCheckpointHeader(b);
  checkFingerprint(h, expect);
  let at = h.headerBytes;
  const parts = h.parts.map((p) => b.subarray(at, (at += p.bytes)));
  if (at !== b.length) throw new CheckpointError('corrupt', `${b.length - h.headerBytes} bytes after the header, the parts it lists take ${at - h.headerBytes}`);
  return decodeParts<Extra>(h, parts);
}

function decodeParts<Extra>(h: CheckpointHeader, parts: readonly Uint8Array[]): CacheCheckpoint<Extra> {
  const n = h.parts.length;
  if (parts.length !== n) throw new CheckpointError('corrupt', `${parts.length} parts, the header lists ${n}`);
  for (let i = 0; i < n; i++) {
    const { bytes, crc } = h.parts[i]!;
    if (parts[i]!.byteLength !== bytes) throw new CheckpointError('corrupt', `part ${i} has ${parts[i]!.byteLength} bytes, the header says ${bytes}`);
    if (crc32(parts[i]!) !== crc) throw new CheckpointError('corrupt', `part ${i}: checksum mismatch`);
  }
  let cp: CacheCheckpoint<Extra>;
  let shards: Uint8Array[];
  try {
    if (n < 2) throw new Error(`${n} parts`);
    cp = deserialize(parts[0]!) as CacheCheckpoint<Extra>;
    const layout = (cp as unknown as { layout?: Layout }).layout;
    if (!layout || n !== 2 + layout.lazy.length + layout.shards) throw new Error(`${n} parts, the layout says ${layout ? 2 + layout.lazy.length + layout.shards : '(none)'}`);
    delete (cp as unknown as { layout?: Layout }).layout;
    Object.defineProperty(cp, 'projector', lazyPart(parts[1]!));
    const lazy: Record<string, unknown> = {};
    layout.lazy.forEach((k, j) => Object.defineProperty(lazy, k, lazyPart(parts[2 + j]!)));
    cp.lazy = lazy;
    shards = parts.slice(2 + layout.lazy.length);
  } catch (e) {
    throw new CheckpointError('corrupt', `a part does not deserialize: ${(e as Error).message}`);
  }
  const ok =
    typeof cp === 'object' && cp !== null &&
    cp.format === h.format && cp.fingerprint === h.fingerprint &&
    Number.isSafeInteger(cp.seq) && typeof cp.hash === 'string' &&
    typeof cp.timeline?.state === 'object' && cp.timeline.state !== null && Array.isArray(cp.timeline.rejections) && Array.isArray(cp.timeline.corrections);
  if (!ok) throw new CheckpointError('corrupt', 'part 0 is not a cache checkpoint');
  installLazyCustomers(cp.timeline.state, shards);
  return cp;
}
