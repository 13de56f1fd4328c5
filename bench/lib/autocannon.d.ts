// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  namespace autocannon {
    interface Histogram { p50: number; p90: number; p99: number; max: number; average: number }
    interface Result {
      requests: { total: number; average: number };
      latency: Histogram;
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
      '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number;
    }
    interface Instance extends EventEmitter { stop(): void }
  }
  function autocannon(opts: Record<string, unknown>, cb: (err: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export default autocannon;
}
