// Reads an NDJSON file line by line, synchronously, in large chunks: the
// benchmark's floor must measure decoding, not a line reader's overhead.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 << 20;

/**
 * Calls `each(line, n)` for every non-empty line (n is 1-based). Stops early when
 * `each` returns false. Returns the number of lines handed out.
 */
export function forEachLine(path: string, each: (line: string, n: number) => boolean | void): number {
  const fd = openSync(path, 'r');
  let buffer = Buffer.allocUnsafe(CHUNK);
  let carry = 0; // bytes of an unfinished line at the start of `buffer`
  let n = 0;
  try {
    for (;;) {
      if (carry === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carry);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, carry, buffer.length - carry, null);
      const end = carry + read;
      // Split at the last newline: a newline byte never occurs inside a UTF-8 sequence.
      const last = read === 0 ? end : buffer.lastIndexOf(10, end - 1);
      if (last >= 0) {
        const text = buffer.toString('utf8', 0, read === 0 ? end : last);
        let from = 0;
        for (;;) {
          const nl = text.indexOf('\n', from);
          const line = nl < 0 ? text.slice(from) : text.slice(from, nl);
          if (line.length > 0 && each(line, ++n) === false) return n;
          if (nl < 0) break;
          from = nl + 1;
        }
        const rest = read === 0 ? 0 : end - last - 1;
        if (rest > 0) buffer.copy(buffer, 0, last + 1, end);
        carry = rest;
      } else {
        carry = end;
      }
      if (read === 0) return n;
    }
  } finally {
    closeSync(fd);
  }
}
