// `guishu generate`: a realistic synthetic office timeline as NDJSON on stdout.
import { parseArgs } from 'node:util';
import { writeTimeline } from '../sim/generate.ts';

export async function generateCommand(args: string[], _write: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string', default: '1000' },
      days: { type: 'string', default: '30' },
      consultants: { type: 'string', default: '12' },
      seed: { type: 'string', default: '1' },
      start: { type: 'string' },
      preset: { type: 'string' },
    },
  });
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
    return n;
  };
  const options = {
    customers: num('customers', values.customers),
    days: num('days', values.days),
    consultants: num('consultants', values.consultants),
    seed: num('seed', values.seed),
    ...(values.start ? { start: values.start } : {}),
    ...(values.preset ? { preset: values.preset } : {}),
  };
  // Buffered writes: a million lines through console.log would dominate the run.
  let buffer = '';
  const out = (line: string) => {
    buffer += line + '\n';
    if (buffer.length > 1 << 16) {
      process.stdout.write(buffer);
      buffer = '';
    }
  };
  writeTimeline(options, out);
  process.stdout.write(buffer);
  return 0;
}
