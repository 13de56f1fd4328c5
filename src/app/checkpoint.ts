// Cache checkpoints: a project's engine state (timeline + projector) after
// the event at `seq`, saved so that a later start restores it and replays only
// the events after it instead of the whole log.
//
// A checkpoint is only valid for the engine code that wrote it — the engine's
// decisions depend on that code — so it carries ENGINE_FINGERPRINT, and a
// reader compares it with its own before trusting the checkpoint (decode can
// do that from the header alone, before deserializing anything).
//
// The encoding (format 4): a fixed 84-byte header, then the payload:
//
//   0  4   magic "GSCP"
//   4  4   format (uint32 BE)
//   8  64  fingerprint (sha256 hex, ASCII)
//   72 8   payload length (uint64 BE)
//   80 4   CRC-32 of the payload (uint32 BE)
//   84 …   payload: part count n (uint32 BE), n part lengths (uint32 BE), the parts
//
// Part 0 is `v8.serialize` of the CacheCheckpoint with the state's customers,
// the projector and the `lazy` entries left out (and their layout in); then
// the projector, each `lazy` entry, and the customers, sharded by phone
// (`shardOf`), each `[rank, phone, customer, …]`. A restore decodes part 0;
// the projector and each `lazy` entry decode when first read (a restart at
// the head writes nothing before its first write), and the shards go to a
// LazyCustomers map, which decodes a shard when a phone of it is first
// asked for and the rest in the background (lazy-customers.ts): the first
// answer after a start does not wait for every customer. References shared
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

// The closures below live as long as the cache: made here, outside decodeCheckpoint, they hold only
// what they need — a closure made inside it would keep all of decodeCheckpoint's variables, the whole
// checkpoint buffer among them, alive.

/** A property decoded when first read, from its own copy of the bytes (a view would keep the whole checkpoint buffer alive). */
function lazyPart(view: Uint8Array): PropertyDescriptor {
  let bytes: Buffer | null = Buffer.from(view);
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
export const CHECKPOINT_FORMAT = 4;

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
const HEADER_BYTES = 84;

export interface CheckpointHeader {
  format: number;
  fingerprint: string;
  payloadBytes: number;
}

/** The checkpoint as bytes: the header, then the parts (see the top of this file). */
export function encodeCheckpoint<Extra = unknown>(cp: CacheCheckpoint<Extra>): Buffer {
  if (cp.format !== CHECKPOINT_FORMAT) throw new Error(`encodeCheckpoint: format ${cp.format}, this code writes ${CHECKPOINT_FORMAT}`);
  if (!/^[0-9a-f]{64}$/.test(cp.fingerprint)) throw new Error('encodeCheckpoint: the fingerprint is not a sha256 hex digest');
  const state = cp.timeline?.state as CacheCheckpoint['timeline']['state'] | undefined;
  const customers = state ? [...state.customers] : [];
  const shardCount = Math.max(1, Math.ceil(customers.length / CUSTOMERS_PER_SHARD));
  const shards: ShardEntries[] = Array.from({ length: shardCount }, () => []);
  customers.forEach(([phone, customer], rank) => shards[shardOf(phone, shardCount)]!.push(rank, phone, customer));
  const lazyKeys = Object.keys(cp.lazy ?? {});
  const layout: Layout = { lazy: lazyKeys, shards: state ? shardCount : 0 };
  const core = { ...cp, timeline: state ? { ...cp.timeline, state: { ...state, customers: new Map() } } : cp.timeline, projector: null, lazy: undefined, layout };
  const parts = [
    v8.serialize(core),
    v8.serialize(cp.projector),
    ...lazyKeys.map((k) => v8.serialize(cp.lazy![k])),
    ...(state ? shards.map((entries) => v8.serialize(entries)) : []),
  ];
  const index = Buffer.alloc(4 + 4 * parts.length);
  index.writeUInt32BE(parts.length, 0);
  parts.forEach((p, i) => index.writeUInt32BE(p.length, 4 + 4 * i));
  const header = Buffer.alloc(HEADER_BYTES);
  const out = Buffer.concat([header, index, ...parts]);
  const payload = out.subarray(HEADER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(CHECKPOINT_FORMAT, 4);
  out.write(cp.fingerprint, 8, 64, 'latin1');
  out.writeBigUInt64BE(BigInt(payload.length), 72);
  out.writeUInt32BE(crc32(payload), 80);
  return out;
}

/** The header alone (cheap: nothing is deserialized). Throws CheckpointError for a buffer that is not a checkpoint of this format. */
export function readCheckpointHeader(buf: Uint8Array): CheckpointHeader {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 8 || !b.subarray(0, 4).equals(MAGIC)) throw new CheckpointError('not-a-checkpoint', 'no checkpoint header');
  const format = b.readUInt32BE(4);
  if (format !== CHECKPOINT_FORMAT) throw new CheckpointError('format', `format ${format}; this code reads format ${CHECKPOINT_FORMAT}`);
  if (b.length < HEADER_BYTES) throw new CheckpointError('corrupt', `truncated header (${b.length} bytes)`);
  const fingerprint = b.toString('latin1', 8, 72);
  const payloadBytes = Number(b.readBigUInt64BE(72));
  if (b.length !== HEADER_BYTES + payloadBytes) throw new CheckpointError('corrupt', `${b.length - HEADER_BYTES} payload bytes, the header says ${payloadBytes}`);
  return { format, fingerprint, payloadBytes };
}

/**
 * The checkpoint in `buf`. Throws CheckpointError (never returns a partial
 * one): `not-a-checkpoint`, `format` (another format version), `corrupt`
 * (truncated, checksum, or undecodable), and — when `expect.fingerprint` is
 * given, checked from the header before anything is deserialized —
 * `fingerprint` (written by other engine code; replay instead).
 */
export function decodeCheckpoint<Extra = unknown>(buf: Uint8Array, expect: { fingerprint?: string } = {}): CacheCheckpoint<Extra> {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const header = readCheckpointHeader(b);
  if (expect.fingerprint !== undefined && header.fingerprint !== expect.fingerprint) {
    throw new CheckpointError('fingerprint', `written by engine ${header.fingerprint.slice(0, 12)}…, this is ${expect.fingerprint.slice(0, 12)}…`);
  }
  const payload = b.subarray(HEADER_BYTES);
  if (crc32(payload) !== b.readUInt32BE(80)) throw new CheckpointError('corrupt', 'payload checksum mismatch');
  let cp: CacheCheckpoint<Extra>;
  let shards: Uint8Array[];
  try {
    const n = payload.readUInt32BE(0);
    let at = 4 + 4 * n;
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const len = payload.readUInt32BE(4 + 4 * i);
      parts.push(payload.subarray(at, at + len));
      at += len;
    }
    if (n < 1 || at !== payload.length) throw new Error(`the part lengths add up to ${at} bytes, the payload has ${payload.length}`);
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
    throw new CheckpointError('corrupt', `payload does not deserialize: ${(e as Error).message}`);
  }
  const ok =
    typeof cp === 'object' && cp !== null &&
    cp.format === header.format && cp.fingerprint === header.fingerprint &&
    Number.isSafeInteger(cp.seq) && typeof cp.hash === 'string' &&
    typeof cp.timeline?.state === 'object' && cp.timeline.state !== null && Array.isArray(cp.timeline.rejections) && Array.isArray(cp.timeline.corrections);
  if (!ok) throw new CheckpointError('corrupt', 'payload is not a cache checkpoint');
  installLazyCustomers(cp.timeline.state, shards);
  return cp;
}
