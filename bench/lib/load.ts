// An autocannon run in its own process (`node --import tsx bench/lib/load.ts
// '<json LoadSpec>'`), so that the load generator never shares an event loop
// with the server it measures — neither the Guishu child nor the bare Fastify
// floor in the benchmark's process. Prints one JSON LoadResult.
//
// kinds:
//   fixed   every request sends one of `bodies`, in turn
//   visit   POST a `visit` with a fresh phone (and event id) per request, over
//           `paths` in turn (one path per project)
import autocannon from 'autocannon';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  base: string;
  kind: 'fixed' | 'visit';
  paths: string[];
  bodies?: string[];
  token?: string;
  connections: number;
  seconds: number;
  /** Upper bound on requests (the run stops at whichever bound comes first). */
  maxRequests: number;
  /** Distinguishes phones between runs (visit). */
  phoneBase?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** kind visit: how the rules answered (a refused event is recorded too, without projection rows). */
  outcomes?: Record<string, number>;
  sample?: string;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.token) headers.authorization = `Bearer ${spec.token}`;
  let i = 0;
  let phone = spec.phoneBase ?? 10_000_000;
  let sample: string | undefined;
  const outcomes: Record<string, number> = {};
  const requests = [{
    method: 'POST' as const,
    setupRequest: (req: Record<string, unknown>) => {
      const k = i++;
      const path = spec.paths[k % spec.paths.length]!;
      if (spec.kind === 'fixed') return { ...req, path, body: spec.bodies![k % spec.bodies!.length] };
      const p = `139${String(phone++ % 100_000_000).padStart(8, '0')}`;
      return { ...req, path, body: JSON.stringify({ type: 'visit', id: `bench-${p}`, customer: { phone: p, name: `客户${p.slice(-4)}` }, says: { firstVisit: true } }) };
    },
    onResponse: (status: number, body: string) => {
      if (sample === undefined && (status < 200 || status >= 300)) sample = `${status} ${String(body).slice(0, 300)}`;
      if (spec.kind === 'visit' && status < 300) {
        const m = /"status":"(accepted|rejected)"(?:,"rejection":\{"code":"([^"]+)")?/.exec(String(body));
        const k = m ? (m[2] ? `rejected:${m[2]}` : m[1]!) : 'unparsed';
        outcomes[k] = (outcomes[k] ?? 0) + 1;
      }
    },
  }];
  const started = performance.now();
  // Bounded in time (duration) and in count (stopped after maxRequests answers).
  let answered = 0;
  let stopped = false;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: spec.base, connections: spec.connections, duration: spec.seconds, timeout: 10, headers, requests: requests as never }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', () => {
      if (++answered >= spec.maxRequests && !stopped) {
        stopped = true;
        instance.stop();
      }
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const l = result.latency;
  const codes: Record<string, number> = {};
  for (const k of ['1xx', '2xx', '3xx', '4xx', '5xx'] as const) codes[k] = result[k] ?? 0;
  const total = result.requests.total;
  return {
    requests: total,
    seconds: result.duration || seconds,
    rps: total / (result.duration || seconds),
    p50: l.p50 ?? NaN,
    p90: l.p90 ?? NaN,
    p99: l.p99 ?? NaN,
    max: l.max ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: codes,
    ...(spec.kind === 'visit' ? { outcomes } : {}),
    ...(sample ? { sample } : {}),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  process.stdout.write(JSON.stringify(await runLoad(spec)) + '\n');
}
