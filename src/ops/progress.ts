// Progress for long operations: a cli-progress bar on stderr when stderr is a
// terminal, otherwise a plain line at most every `everyMs` (logs and CI stay
// readable), and always a last line at the end.
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the count done so far (and the total when it becomes known). */
  update(done: number, total?: number): void;
  /** A one-off message (a phase change); plain lines on a non-terminal. */
  note(message: string): void;
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  everyMs?: number;
  /** Force plain lines (tests) or the bar. Default: the bar when the stream is a TTY. */
  tty?: boolean;
  unit?: string;
}

export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const unit = opts.unit ?? 'rows';
  const started = Date.now();
  const rate = (done: number) => {
    const s = (Date.now() - started) / 1000;
    return s > 0 ? Math.round(done / s) : 0;
  };
  if (opts.tty ?? stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% {value}/{total} ${unit} | {rate}/s | {eta_formatted}`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0, { rate: 0 });
    return {
      update(done, t) {
        if (t !== undefined) bar.setTotal(Math.max(t, 1));
        bar.update(done, { rate: rate(done) });
      },
      note(message) {
        bar.stop();
        stream.write(`${message}\n`);
        bar.start(bar.getTotal(), 0, { rate: 0 });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const everyMs = opts.everyMs ?? 2000;
  let last = 0;
  let done = 0;
  let tot = total;
  let printed = -1;
  const line = () => {
    printed = done;
    stream.write(`${label}: ${done}/${tot} ${unit} (${rate(done)}/s)\n`);
  };
  return {
    update(d, t) {
      done = d;
      if (t !== undefined) tot = t;
      const now = Date.now();
      if (now - last >= everyMs) {
        last = now;
        line();
      }
    },
    note(message) {
      stream.write(`${message}\n`);
    },
    stop() {
      if (printed !== done) line();
    },
  };
}
