/**
 * The change log's rows of the bench: how fast the feed is read, and how long a webhook takes
 * from the change to a receiver on 127.0.0.1 (docs/webhooks.md). Run by bench/run.ts against
 * its server; the events the feed reads are loaded with the data set (dataset.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Row } from './run.js';
import type { BenchContext } from './scenarios.js';

/** Webhook deliveries timed. */
const DELIVERIES = 1_000;

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function emptyRow(endpoint: string, database: string): Row {
  return {
    endpoint,
    database,
    workers: 1,
    status: 'ok',
    rps: null,
    p50_ms: null,
    p99_ms: null,
    ratio: null,
    non2xx_pct: null,
    rss_mb: null,
    event_loop_max_ms: null,
  };
}

/** Reads the whole log through GET …/changes?limit=1000, page after page: events per second. */
async function feedThroughput(url: string, database: string, context: BenchContext): Promise<Row> {
  const row = emptyRow('changes feed (limit 1000): events/s', database);
  const pages: number[] = [];
  let after = '0';
  let events = 0;
  const started = performance.now();
  for (;;) {
    const pageStarted = performance.now();
    const response = await fetch(`${url}/api/${context.client}/v1/changes?limit=1000&after=${after}`, {
      headers: { authorization: `Bearer ${context.token}` },
    });
    const answer = (await response.json()) as { events: unknown[]; next_cursor: string };
    if (response.status !== 200) return { ...row, status: 'failed', note: `HTTP ${response.status}: ${JSON.stringify(answer).slice(0, 200)}` };
    pages.push(performance.now() - pageStarted);
    events += answer.events.length;
    if (answer.events.length === 0) break;
    after = answer.next_cursor;
  }
  const seconds = (performance.now() - started) / 1000;
  pages.sort((a, b) => a - b);
  return {
    ...row,
    rps: round(events / seconds),
    p50_ms: round(percentile(pages, 50)),
    p99_ms: round(percentile(pages, 99)),
    non2xx_pct: 0,
    note: `${events} events in ${pages.length} pages, ${round(seconds, 2)} s; p50/p99 per page`,
  };
}

/**
 * Pushes DELIVERIES permits one after another and times each event from its change (the
 * event's timestamp) to its arrival at a receiver on 127.0.0.1 answering 204 at once.
 */
async function deliveryLatency(url: string, database: string, context: BenchContext, adminToken: string): Promise<Row> {
  const row = emptyRow('webhook delivery: change → receiver', database);
  const latencies: number[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const arrived = Date.now();
      const payload = JSON.parse(body) as { timestamp: string };
      latencies.push(arrived - Date.parse(payload.timestamp));
      response.writeHead(204).end();
      if (latencies.length === DELIVERIES) done();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await fetch(`${url}/admin/v1/clients/${context.client}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ url: hookUrl, event_types: ['permit.created'] }),
    });
    if (created.status !== 201) return { ...row, status: 'failed', note: `webhook creation: HTTP ${created.status} ${(await created.text()).slice(0, 200)}` };
    const hour = 3_600_000;
    const started = performance.now();
    for (let index = 0; index < DELIVERIES; index++) {
      const pushed = await fetch(`${url}/api/${context.client}/v1/permits/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${context.token}` },
        body: JSON.stringify({
          plate: `HOOK${index}`,
          startTime: new Date(Date.now() - hour).toISOString().slice(0, 19),
          endTime: new Date(Date.now() + hour).toISOString().slice(0, 19),
        }),
      });
      if (pushed.status !== 200) return { ...row, status: 'failed', note: `push: HTTP ${pushed.status}` };
    }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000).unref());
    if ((await Promise.race([all, timeout])) === 'timeout') return { ...row, status: 'failed', note: `${latencies.length} of ${DELIVERIES} delivered in 60 s` };
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      ...row,
      rps: round(DELIVERIES / seconds),
      p50_ms: percentile(latencies, 50),
      p99_ms: percentile(latencies, 99),
      non2xx_pct: 0,
      note: `${DELIVERIES} permits pushed one after another; latency from the change's timestamp (ms resolution) to arrival; req/s: deliveries per second`,
    };
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

/** The change log's rows for one server. */
export async function changeRows(url: string, database: string, context: BenchContext, adminToken: string, log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const measure of [() => feedThroughput(url, database, context), () => deliveryLatency(url, database, context, adminToken)]) {
    try {
      rows.push(await measure());
    } catch (error) {
      rows.push({ ...emptyRow('change log', database), status: 'failed', note: String(error).slice(0, 300) });
    }
    log(`${rows.at(-1)!.endpoint} on ${database}: ${JSON.stringify(rows.at(-1))}`);
  }
  return rows;
}
