// Which Chromium the e2e tests drive, found without downloading anything:
//
//   1. CHROMIUM_PATH, when set to an executable;
//   2. a system Chromium or Chrome: chromium, chromium-browser, google-chrome(-stable)
//      on PATH, or at the usual install paths (Debian's /usr/bin/chromium in CI);
//   3. otherwise the Chromium that the npm package @sparticuz/chromium ships inside
//      itself (a brotli-compressed headless shell for linux-x64, with the NSS/NSPR/expat
//      libraries it needs), unpacked once into node_modules/.cache and run with those
//      libraries on LD_LIBRARY_PATH, so it needs nothing from the system but glibc ≥ 2.34.
//
// GUISHU_E2E_BROWSER chooses: `auto` (the default: the order above), `system` (1 or 2
// only, and a browser that does not start FAILS the run: what CI sets), `bundled` (3
// only, skipping the system lookup: to check a machine without Chromium).
// When no browser can start in `auto`/`bundled` mode the e2e suites are skipped with
// a loud message on stderr instead of failing.
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

export type BrowserMode = 'auto' | 'system' | 'bundled';
export interface BrowserChoice {
  kind: 'system' | 'bundled';
  executablePath: string;
  /** Extra environment for the browser process (the bundled one's libraries and fonts). */
  env: Record<string, string>;
  /** What it is, for messages. */
  label: string;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const SYSTEM_PATHS = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/snap/bin/chromium',
  '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function browserMode(): BrowserMode {
  const m = (process.env.GUISHU_E2E_BROWSER ?? 'auto').trim() || 'auto';
  if (m !== 'auto' && m !== 'system' && m !== 'bundled') throw new Error(`GUISHU_E2E_BROWSER=${m}: expected auto, system or bundled`);
  return m;
}

/** CHROMIUM_PATH, then the system's Chromium/Chrome: every candidate, in order. */
export function systemCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.CHROMIUM_PATH) out.push(env.CHROMIUM_PATH);
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) for (const n of SYSTEM_NAMES) out.push(join(dir, n));
  out.push(...SYSTEM_PATHS);
  return [...new Set(out)].filter(executable);
}

/** The directory holding @sparticuz/chromium's compressed files, or null when it is not installed. */
function bundledBin(): string | null {
  try {
    // The package exports only its entry point (build/cjs/index.cjs); its files are in ../../bin.
    const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
    const bin = join(dirname(entry), '..', '..', 'bin');
    return existsSync(join(bin, 'chromium.br')) ? bin : null;
  } catch {
    return null;
  }
}

function bundledVersion(bin: string): string {
  try {
    return (JSON.parse(readFileSync(join(bin, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Regular files and directories of an (uncompressed) ustar archive into `dest`. */
function untar(buf: Buffer, dest: string): void {
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = str(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = body.toString('utf8').replace(/\0.*$/s, ''); continue; }
    name = name.replace(/^\.?\/+/, '');
    if (!name || name.split('/').includes('..')) continue;
    const target = join(dest, name);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body, { mode: parseInt(str(100, 8).trim() || '644', 8) & 0o777 });
    }
    // pax headers, links and devices: the package's archives have none that matter
  }
}

/**
 * The Chromium shipped inside @sparticuz/chromium, unpacked once (atomically: into a
 * temporary folder renamed into place, so two test processes never see half a binary).
 */
export async function bundledChromium(): Promise<BrowserChoice | { error: string }> {
  if (platform() !== 'linux' || arch() !== 'x64') return { error: `the npm-shipped Chromium (@sparticuz/chromium) is built for linux-x64 only, not ${platform()}-${arch()}` };
  const bin = bundledBin();
  if (!bin) return { error: '@sparticuz/chromium is not installed (run npm install)' };
  const version = bundledVersion(bin);
  const root = join(bin, '..', '..', '..', '.cache', `guishu-e2e-chromium-${version}`);
  const exe = join(root, 'chromium');
  if (!existsSync(join(root, '.complete'))) {
    const tmp = `${root}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(tmp, 'chromium'), { mode: 0o755 }));
      untar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), tmp); // lib/: libnss3, libnspr4, libexpat…
      untar(brotliDecompressSync(readFileSync(join(bin, 'fonts.tar.br'))), tmp); // fonts/: Open Sans
      // (swiftshader.tar.br, its software GL, is left packed: the tests run with --disable-gpu)
      // Its own fonts first, then the system's (CJK fonts when the machine has them).
      writeFileSync(join(tmp, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(root, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <dir>/usr/local/share/fonts</dir>\n  <dir prefix="xdg">fonts</dir>\n  <cachedir>${join(root, 'fonts-cache')}</cachedir>\n</fontconfig>\n`);
      writeFileSync(join(tmp, '.complete'), `${version}\n`);
      try {
        renameSync(tmp, root);
      } catch {
        rmSync(tmp, { recursive: true, force: true }); // another process unpacked it first
        if (!existsSync(join(root, '.complete'))) throw new Error(`could not move the unpacked Chromium into ${root}`);
      }
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      return { error: `unpacking @sparticuz/chromium failed: ${(e as Error).message}` };
    }
  }
  const lib = join(root, 'lib');
  return {
    kind: 'bundled',
    executablePath: exe,
    env: {
      LD_LIBRARY_PATH: [lib, ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)].join(':'),
      FONTCONFIG_FILE: join(root, 'fonts.conf'),
    },
    label: `Chromium from @sparticuz/chromium ${version} (${exe})`,
  };
}

async function tryLaunch(choice: BrowserChoice): Promise<string | null> {
  try {
    const b = await launchWith(choice);
    await b.close();
    return null;
  } catch (e) {
    return (e as Error).message.split('\n').slice(0, 6).join('\n');
  }
}

export function launchWith(choice: BrowserChoice): Promise<Browser> {
  // playwright-core starts Chromium with a fresh temporary --user-data-dir of its own.
  return chromium.launch({
    executablePath: choice.executablePath,
    args: BASE_ARGS,
    env: { ...process.env, ...choice.env } as Record<string, string>,
    timeout: 60_000,
  });
}

export type Pick = { ok: true; choice: BrowserChoice } | { ok: false; reason: string };

/** Finds a browser that starts: the first candidate in the mode's order that launches. */
export async function pickBrowser(mode: BrowserMode = browserMode()): Promise<Pick> {
  const tried: string[] = [];
  if (mode !== 'bundled') {
    for (const path of systemCandidates()) {
      const choice: BrowserChoice = { kind: 'system', executablePath: path, env: {}, label: `system Chromium ${path}` };
      const err = await tryLaunch(choice);
      if (!err) return { ok: true, choice };
      tried.push(`${path}: ${err}`);
    }
    if (process.env.CHROMIUM_PATH && !executable(process.env.CHROMIUM_PATH)) tried.push(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH}: not an executable file`);
    if (mode === 'system' && tried.length === 0) tried.push('no system Chromium: none of chromium, chromium-browser, google-chrome on PATH or at the usual paths, and CHROMIUM_PATH unset');
  }
  if (mode !== 'system') {
    const b = await bundledChromium();
    if ('error' in b) tried.push(b.error);
    else {
      const err = await tryLaunch(b);
      if (!err) return { ok: true, choice: b };
      tried.push(`${b.label}: ${err}`);
    }
  }
  return { ok: false, reason: tried.join('\n') };
}

let picked: Promise<Pick> | null = null;
/** The browser for this test file, chosen once (a launch probe each candidate). */
export function browserForTests(): Promise<Pick> {
  picked ??= pickBrowser().then((p) => {
    if (!p.ok) {
      const msg = [
        '',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        '!! E2E TESTS SKIPPED: no Chromium could start on this machine.',
        '!! Tried:',
        ...p.reason.split('\n').map((l) => `!!   ${l}`),
        '!! Install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH;',
        '!! set GUISHU_E2E_BROWSER=system to make a missing browser fail the run instead (CI does).',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        '',
      ].join('\n');
      if (browserMode() === 'system') throw new Error(msg.replace('E2E TESTS SKIPPED', 'E2E TESTS CANNOT RUN (GUISHU_E2E_BROWSER=system)'));
      process.stderr.write(msg);
    }
    return p;
  });
  return picked;
}
