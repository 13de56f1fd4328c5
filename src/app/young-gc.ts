// A young-generation collection (V8's scavenge: a few milliseconds), asked
// for between the parts of a checkpoint save. Each part is a fresh
// off-heap buffer of megabytes that dies as soon as the store has written it,
// but V8 collects for the JS heap's sake, not for off-heap bytes: with little
// JS allocation in between, a save's dead parts piled up — some 55 MB of them,
// and twice that in RSS (a serialiser's buffer is allocated with room to
// grow) — before anything freed one. A scavenge frees a buffer that died
// young, so asking for one before serialising the next part keeps about one
// part's bytes in memory, as the save means to (measured: docs/store.md,
// "Checkpoints").
//
// Node gives the collector's `gc` only to code started with --expose-gc;
// `guishu start` is not, so the flag is set for the moment it takes a new
// context to hand `gc` over, and unset again. Where that fails (another
// runtime), this is a no-op: only memory is at stake, never an answer.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'minor' | 'major' }) => void;

let gc: Gc | null | undefined;

function obtain(): Gc | null {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as Gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as Gc) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** Frees what died young since the last collection (a scavenge; nothing where the runtime does not allow it). */
export function collectYoung(): void {
  if (gc === undefined) gc = obtain();
  gc?.({ type: 'minor' });
}
