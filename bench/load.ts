/**
 * The load generator, run in its own process so it does not share the server's event loop:
 * `tsx bench/load.ts '<json>'` drives one scenario (or the baseline) with autocannon and
 * prints its figures as one JSON line.
 */
import autocannon from 'autocannon';
import { scenario, type BenchContext } from './scenarios.js';

interface LoadJob {
  readonly url: string;
  /** A scenario name, or 'baseline'. */
  readonly scenario: string;
  readonly context: BenchContext;
  readonly connections: number;
  readonly seconds: number;
}

const job = JSON.parse(process.argv[2]!) as LoadJob;
const headers = { 'content-type': 'application/json' };
const request =
  job.scenario === 'baseline'
    ? { method: 'POST' as const, path: '/echo', headers, body: JSON.stringify({ apiToken: 'x', plate: 'ABC123' }) }
    : (() => {
        const s = scenario(job.scenario);
        return {
          method: s.method,
          path: s.path(job.context),
          headers: { ...headers, ...s.headers?.(job.context) },
          setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify(s.body(job.context)) }),
        };
      })();

const result = await autocannon({ url: job.url, connections: job.connections, duration: job.seconds, requests: [request] });
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  })}\n`,
);
