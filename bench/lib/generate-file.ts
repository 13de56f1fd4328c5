// Writes a generated timeline to an NDJSON file. Run as a child process by the
// benchmark (`node --import tsx bench/lib/generate-file.ts '<options json>' <path>`)
// so that the generator's memory does not count towards the replay's peak RSS.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type GenerateOptions, writeTimeline } from '../../src/sim/generate.ts';

export interface GeneratedFile {
  events: number;
  seconds: number;
  rate: number;
  bytes: number;
  /** The generating process's peak RSS, bytes. */
  maxRss: number;
}

export function generateFile(options: GenerateOptions, path: string): GeneratedFile {
  const fd = openSync(path, 'w');
  let buffer = '';
  const started = performance.now();
  try {
    const { events } = writeTimeline(options, (line) => {
      buffer += line + '\n';
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    });
    writeSync(fd, buffer);
    const seconds = (performance.now() - started) / 1000;
    return { events, seconds, rate: events / seconds, bytes: statSync(path).size, maxRss: process.resourceUsage().maxRSS * 1024 };
  } finally {
    closeSync(fd);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [json, path] = process.argv.slice(2);
  if (!json || !path) {
    process.stderr.write('usage: generate-file.ts <options json> <path>\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(generateFile(JSON.parse(json) as GenerateOptions, path)) + '\n');
}
