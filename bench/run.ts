/**
 * `npm run bench`: the baseline and the server in their own processes, the data set loaded
 * through SQL, each scenario driven by autocannon from a third process; one table on stdout,
 * and bench/results/latest.json and latest.md. Settings (environment):
 *   BENCH_DATABASE_URL  PostgreSQL server in which a scratch database is created and dropped
 *                       (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_DATABASES     postgres,pglite (default both)
 *   BENCH_SECONDS       seconds per scenario (default 10)
 *   BENCH_CONNECTIONS   autocannon connections (default 50)
 *   BENCH_SCALE         full, small or tiny for PostgreSQL (default full; PGlite one step smaller)
 *   BENCH_WORKERS       worker counts compared on PostgreSQL (default 1,2)
 *   BENCH_STARTUP       0 to skip timing PGlite restarts and first starts
 *   BENCH_SCENARIOS     comma-separated scenario names to run (default all); `changes` names the
 *                       change log's rows (feed throughput, webhook latency)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { loadTemplate } from '../src/db/template.js';
import { loadDataset, SIZES, type DatasetSize, type LoadedDataset } from './dataset.js';
import { changeRows } from './changes.js';
import { SCENARIOS, type BenchContext } from './scenarios.js';
import { createScratchDatabase } from '../test/helpers/scratch-database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
/** Scenarios compared across worker counts. */
const WORKER_SCENARIOS = ['profiles/types/list', 'validate/plate'];

export interface BenchOptions {
  readonly databases: ReadonlyArray<'postgres' | 'pglite'>;
  readonly seconds: number;
  readonly connections: number;
  readonly postgresUrl: string;
  readonly postgresSize: DatasetSize;
  readonly pgliteSize: DatasetSize;
  readonly workers: readonly number[];
  readonly outDir: string;
  /** Time PGlite restarts and first starts (three extra server starts). */
  readonly measureStartup: boolean;
  /** The scenarios to drive; absent: every one. */
  readonly only?: readonly string[];
  readonly log: (line: string) => void;
}

export interface Row {
  endpoint: string;
  database: string;
  workers: number;
  status: 'ok' | 'route not available' | 'failed';
  rps: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  ratio: number | null;
  /** Share of answers that were not 2xx (a scenario answering errors measures the error path). */
  non2xx_pct: number | null;
  rss_mb: number | null;
  event_loop_max_ms: number | null;
  /** For the collections export: seconds for the one call, and records returned. */
  seconds?: number;
  records?: number;
  note?: string;
}

export interface BenchResult {
  machine: { cpu: string; cores: number; memory_gb: number; node: string; load_average: number[] };
  settings: { seconds: number; connections: number };
  baseline: { rps_start: number; rps_end: number; rps: number; p50_ms: number; p99_ms: number };
  datasets: Record<string, { size: DatasetSize; counts: Record<string, number>; notes: string[]; load_seconds: number }>;
  startup: Record<string, number>;
  rows: Row[];
  started_at: string;
  finished_at: string;
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: string[];
  readonly startMs: number;
}

function tsx(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts a process that prints `listening on http://…`; resolves with its URL. */
function startListening(child: ChildProcess, what: string): Promise<Started> {
  const started = performance.now();
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    // Only the start is time-limited: a process that listened runs until it is stopped.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not listen within 120 s:\n${output.join('\n')}`));
    }, 120_000);
    timer.unref();
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        output.push(line);
        const match = /listening on (http:\/\/[^\s]+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve({ child, url: match[1]!, output, startMs: performance.now() - started });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before listening:\n${output.join('\n')}`));
    });
  });
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process and its children (cluster workers), in MB. */
function rssMb(pid: number): number {
  const kb = (p: number): number => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const own = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return own + children.reduce((sum, child) => sum + kb(child), 0);
    } catch {
      return 0;
    }
  };
  return Math.round(kb(pid) / 102.4) / 10;
}

/** The event-loop report of a server log line (`"msg":"event-loop"`), if it is one. */
function eventLoopReport(line: string): { max_ms: number }[] {
  if (!line.includes('"msg":"event-loop"')) return [];
  const parsed: unknown = JSON.parse(line);
  if (parsed === null || typeof parsed !== 'object' || !('event_loop' in parsed)) return [];
  const report = parsed.event_loop;
  return report !== null && typeof report === 'object' && 'max_ms' in report && typeof report.max_ms === 'number' ? [{ max_ms: report.max_ms }] : [];
}

/** Asks the server for its event-loop report (SIGUSR2; one line per process) and returns the worst stall. */
async function eventLoopMax(server: Started, processes: number): Promise<number | null> {
  const before = server.output.length;
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 40; i++) {
    const reports = server.output.slice(before).flatMap(eventLoopReport);
    if (reports.length >= processes) return Math.max(...reports.map((report) => report.max_ms));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

interface LoadFigures {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, { count: number }>;
}

async function drive(url: string, scenario: string, context: BenchContext | null, options: BenchOptions): Promise<LoadFigures> {
  const child = tsx('bench/load.ts', [JSON.stringify({ url, scenario, context, connections: options.connections, seconds: options.seconds })], process.env);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // A load process that outlives its run by a minute is stuck: killed, and the scenario fails.
  const timer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 60) * 1000);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`load process for ${scenario} failed (${String(code)}): ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!) as LoadFigures;
}

/** One request, to tell a route that is not there (Fastify's own 404) from the API's answers. */
async function probe(url: string, scenario: (typeof SCENARIOS)[number], context: BenchContext) {
  const started = performance.now();
  // node:http, not fetch: lot-values is a GET with a body, which fetch refuses to send.
  const payload = JSON.stringify(scenario.body(context));
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(
      `${url}${scenario.path(context)}`,
      {
        method: scenario.method,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...scenario.headers?.(context) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
  const seconds = (performance.now() - started) / 1000;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the note
  }
  const missing = status === 404 && typeof body === 'object' && body !== null && /^Route /.test(String((body as { message?: unknown }).message));
  return { status, body, missing, seconds, bytes: text.length };
}

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

async function runScenarios(
  server: Started,
  database: string,
  workers: number,
  context: BenchContext,
  names: readonly string[],
  baselineRps: number,
  options: BenchOptions,
): Promise<Row[]> {
  const rows: Row[] = [];
  const pid = server.child.pid!;
  for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
    const base: Row = {
      endpoint: scenario.name,
      database,
      workers,
      status: 'ok',
      rps: null,
      p50_ms: null,
      p99_ms: null,
      ratio: null,
      non2xx_pct: null,
      rss_mb: null,
      event_loop_max_ms: null,
    };
    try {
      await eventLoopMax(server, workers);
      if (scenario.mode === 'once') {
        let peak = rssMb(pid);
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
        const answer = await probe(server.url, scenario, context);
        clearInterval(sampler);
        if (answer.missing) {
          rows.push({ ...base, status: 'route not available' });
          options.log(formatRow(rows[rows.length - 1]!));
          continue;
        }
        // The export answers {"batch_id","records":[…],"state"}
        // (docs/api.md#overdue-violations-to-collections), a Genetec download {"Permits":[…]}.
        const answered = answer.body as { records?: unknown; Permits?: unknown } | null;
        const records = answered?.records ?? answered?.Permits;
        rows.push({
          ...base,
          status: answer.status === 200 ? 'ok' : 'failed',
          seconds: round(answer.seconds, 2),
          ...(Array.isArray(records) ? { records: records.length } : {}),
          rss_mb: Math.max(peak, rssMb(pid)),
          non2xx_pct: answer.status === 200 ? 0 : 100,
          event_loop_max_ms: await eventLoopMax(server, workers),
          note: `one call, HTTP ${answer.status}, ${Math.round(answer.bytes / 1024)} KiB`,
        });
      } else {
        const check = await probe(server.url, scenario, context);
        if (check.missing) {
          rows.push({ ...base, status: 'route not available' });
          options.log(formatRow(rows[rows.length - 1]!));
          continue;
        }
        const figures = await drive(server.url, scenario.name, context, options);
        const answered = Math.max(1, figures.total);
        const codes = Object.entries(figures.statusCodes)
          .map(([code, { count }]) => `${code}×${count}`)
          .join(' ');
        rows.push({
          ...base,
          rps: round(figures.rps),
          p50_ms: figures.p50,
          p99_ms: figures.p99,
          ratio: round(figures.rps / baselineRps, 3),
          non2xx_pct: round((100 * figures.non2xx) / answered, 1),
          rss_mb: rssMb(pid),
          event_loop_max_ms: await eventLoopMax(server, workers),
          ...(figures.non2xx > 0 || figures.errors > 0
            ? { note: `status ${codes}${figures.errors ? `, ${figures.errors} socket errors` : ''}; first answer: ${JSON.stringify(check.body).slice(0, 160)}` }
            : {}),
        });
      }
    } catch (error) {
      const exited = server.child.exitCode !== null || server.child.signalCode !== null;
      const why = exited ? `the server exited (${server.child.exitCode ?? server.child.signalCode}): ${server.output.slice(-5).join(' / ')}` : '';
      rows.push({ ...base, status: 'failed', note: `${error instanceof Error ? error.message : String(error)} ${why}`.slice(0, 600) });
    }
    options.log(formatRow(rows[rows.length - 1]!));
  }
  return rows;
}

/** The change log's rows (bench/changes.ts), with the server's memory and event-loop figures over both. */
async function changeLogRows(server: Started, database: string, context: BenchContext, options: BenchOptions): Promise<Row[]> {
  await eventLoopMax(server, 1);
  const rows = await changeRows(server.url, database, context, ADMIN_TOKEN, options.log);
  const rss = rssMb(server.child.pid!);
  const loop = await eventLoopMax(server, 1);
  return rows.map((row) => ({ ...row, rss_mb: rss, event_loop_max_ms: loop }));
}

function serverEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Request limits off: the bench drives one token far beyond any real integration's rate.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ADMIN_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    ...extra,
  };
  if (extra.DATABASE_URL === undefined) delete env.DATABASE_URL;
  return env;
}

function startServer(env: NodeJS.ProcessEnv, workers: number): Promise<Started> {
  const args = ['bin/parking-controller.js', 'serve', ...(workers > 1 ? ['--workers', String(workers)] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  return startListening(child, 'the server');
}

async function until(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Milliseconds from spawning `serve` to a 200 from /health. */
async function timeStart(env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const server = await startServer(env, 1);
  await until(`${server.url}/health`);
  const ms = performance.now() - started;
  await stop(server);
  return Math.round(ms);
}

function machine(): BenchResult['machine'] {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memory_gb: round(os.totalmem() / 1024 ** 3),
    node: process.version,
    load_average: os.loadavg().map((value) => round(value, 2)),
  };
}

function formatRow(row: Row): string {
  const cell = (value: number | null | undefined, suffix = '') => (value === null || value === undefined ? '' : `${value}${suffix}`);
  const what =
    row.status === 'failed'
      ? `failed: ${row.note ?? ''}`
      : row.status !== 'ok'
        ? row.status
        : row.seconds !== undefined
          ? `${row.seconds} s for ${row.records ?? '?'} records`
          : '';
  return [
    `${row.endpoint}${row.workers > 1 ? ` (${row.workers} workers)` : ''}`.padEnd(46),
    row.database.padEnd(9),
    cell(row.rps).padStart(9),
    cell(row.p50_ms, ' ms').padStart(9),
    cell(row.p99_ms, ' ms').padStart(9),
    cell(row.ratio, '×').padStart(8),
    cell(row.non2xx_pct, ' %').padStart(8),
    cell(row.rss_mb, ' MB').padStart(10),
    cell(row.event_loop_max_ms, ' ms').padStart(11),
    `  ${what}`,
  ].join(' ');
}

const HEADER = `${'endpoint'.padEnd(46)} ${'database'.padEnd(9)} ${'req/s'.padStart(9)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'×base'.padStart(8)} ${'non-2xx'.padStart(8)} ${'RSS'.padStart(10)} ${'loop max'.padStart(11)}`;

export function markdown(result: BenchResult): string {
  const lines = [
    `Measured ${result.started_at} on ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memory_gb} GB, Node ${result.machine.node} (load average at start ${result.machine.load_average.join(', ')}); ${result.settings.connections} connections, ${result.settings.seconds} s per scenario.`,
    '',
    `Baseline (bare Fastify POST answering a small JSON body): ${result.baseline.rps} req/s (start ${result.baseline.rps_start}, end ${result.baseline.rps_end}), p50 ${result.baseline.p50_ms} ms, p99 ${result.baseline.p99_ms} ms.`,
    '',
    '| endpoint | database | workers | req/s | p50 ms | p99 ms | × baseline | non-2xx % | server RSS MB | event loop max ms | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  for (const row of result.rows) {
    const note =
      row.status !== 'ok' ? row.status : row.seconds !== undefined ? `${row.seconds} s for ${row.records ?? '?'} records; ${row.note ?? ''}` : (row.note ?? '');
    lines.push(
      `| ${row.endpoint} | ${row.database} | ${row.workers} | ${cell(row.rps)} | ${cell(row.p50_ms)} | ${cell(row.p99_ms)} | ${cell(row.ratio)} | ${cell(row.non2xx_pct)} | ${cell(row.rss_mb)} | ${cell(row.event_loop_max_ms)} | ${note.replaceAll('|', '\\|')} |`,
    );
  }
  lines.push('', 'Data sets:');
  for (const [database, data] of Object.entries(result.datasets)) {
    lines.push(
      `- ${database} (${data.size.label}): ${Object.entries(data.counts)
        .map(([table, n]) => `${table} ${n}`)
        .join(', ')}; loaded in ${data.load_seconds} s${data.notes.length ? `; ${data.notes.join('; ')}` : ''}`,
    );
  }
  if (Object.keys(result.startup).length > 0) {
    lines.push('', 'PGlite start to a 200 from /health:');
    for (const [what, ms] of Object.entries(result.startup)) lines.push(`- ${what}: ${ms} ms`);
  }
  return `${lines.join('\n')}\n`;
}

async function withPostgres<T>(serverUrl: string, body: (url: string) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(serverUrl, 'pc_bench');
  try {
    return await body(scratch.url);
  } finally {
    await scratch.drop();
  }
}

async function load(database: Database, size: DatasetSize, options: BenchOptions): Promise<LoadedDataset> {
  try {
    await migrate(database.db);
    options.log(`loading the ${size.label} data set into ${database.kind} …`);
    const loaded = await loadDataset(database.db, size);
    options.log(
      `  ${Object.entries(loaded.counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')} in ${round(loaded.seconds)} s${loaded.notes.length ? `\n  ${loaded.notes.join('\n  ')}` : ''}`,
    );
    return loaded;
  } finally {
    await database.close();
  }
}

const LOAD_STATEMENT_TIMEOUT_MS = 10 * 60_000;

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const result: BenchResult = {
    machine: machine(),
    settings: { seconds: options.seconds, connections: options.connections },
    baseline: { rps_start: 0, rps_end: 0, rps: 0, p50_ms: 0, p99_ms: 0 },
    datasets: {},
    startup: {},
    rows: [],
    started_at: startedAt,
    finished_at: startedAt,
  };
  const baseline = await startListening(tsx('bench/baseline.ts', [], process.env), 'the baseline');
  try {
    const first = await drive(baseline.url, 'baseline', null, options);
    result.baseline = { rps_start: round(first.rps), rps_end: round(first.rps), rps: round(first.rps), p50_ms: first.p50, p99_ms: first.p99 };
    options.log(`baseline: ${round(first.rps)} req/s, p50 ${first.p50} ms, p99 ${first.p99} ms`);
    options.log(HEADER);
    const all = SCENARIOS.map((s) => s.name).filter((name) => options.only === undefined || options.only.includes(name));
    const changeRows = options.only === undefined || options.only.includes('changes');

    if (options.databases.includes('postgres')) {
      await withPostgres(options.postgresUrl, async (url) => {
        // The bulk inserts of the full data set (a million permits and their history in one
        // statement) outlast the server's default statement timeout.
        const loaded = await load(await openDatabase({ kind: 'postgres', url, statementTimeoutMs: LOAD_STATEMENT_TIMEOUT_MS }), options.postgresSize, options);
        result.datasets.postgres = { size: options.postgresSize, counts: loaded.counts, notes: loaded.notes, load_seconds: round(loaded.seconds) };
        for (const workers of all.length === 0 ? [1] : options.workers) {
          const server = await startServer({ DATABASE_URL: url }, workers);
          try {
            const names = workers === 1 ? all : WORKER_SCENARIOS.filter((name) => all.includes(name));
            result.rows.push(...(await runScenarios(server, 'postgres', workers, loaded.context, names, result.baseline.rps, options)));
            if (workers === 1 && changeRows) result.rows.push(...(await changeLogRows(server, 'postgres', loaded.context, options)));
          } finally {
            await stop(server);
          }
        }
      });
    }

    if (options.databases.includes('pglite')) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-bench-'));
      try {
        const dataDir = path.join(dir, 'data');
        const template = await loadTemplate();
        const loaded = await load(await openDatabase({ kind: 'pglite', dataDir, template }), options.pgliteSize, options);
        result.datasets.pglite = { size: options.pgliteSize, counts: loaded.counts, notes: loaded.notes, load_seconds: round(loaded.seconds) };
        if (options.measureStartup) {
          result.startup['restart on the loaded data dir'] = await timeStart({ DATA_DIR: dataDir });
          result.startup['first start on a new data dir (template cached)'] = await timeStart({ DATA_DIR: path.join(dir, 'fresh') });
          result.startup['restart on that dir'] = await timeStart({ DATA_DIR: path.join(dir, 'fresh') });
        }
        const server = await startServer({ DATA_DIR: dataDir }, 1);
        try {
          result.rows.push(...(await runScenarios(server, 'pglite', 1, loaded.context, all, result.baseline.rps, options)));
          if (changeRows) result.rows.push(...(await changeLogRows(server, 'pglite', loaded.context, options)));
        } finally {
          await stop(server);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    const last = await drive(baseline.url, 'baseline', null, options);
    // A baseline that answered nothing at the end (its process gone) leaves the start figure alone.
    const rps = last.rps > 0 ? round((result.baseline.rps_start + last.rps) / 2) : result.baseline.rps_start;
    if (last.rps === 0)
      options.log(`the baseline answered nothing at the end (exit ${baseline.child.exitCode ?? baseline.child.signalCode}); ratios use the start figure`);
    result.baseline = { ...result.baseline, rps_end: round(last.rps), rps };
    // Ratios against the mean of the baseline before and after, the machine being shared.
    for (const row of result.rows) if (row.rps !== null) row.ratio = round(row.rps / rps, 3);
  } finally {
    await stop(baseline);
  }
  result.finished_at = new Date().toISOString();
  fs.mkdirSync(options.outDir, { recursive: true });
  fs.writeFileSync(path.join(options.outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(options.outDir, 'latest.md'), markdown(result));
  return result;
}

function fromEnvironment(env: NodeJS.ProcessEnv): BenchOptions {
  const scale = (env.BENCH_SCALE ?? 'full') as keyof typeof SIZES;
  if (!(scale in SIZES)) throw new Error(`BENCH_SCALE must be one of ${Object.keys(SIZES).join(', ')}`);
  const smaller = { full: SIZES.small, small: SIZES.small, tiny: SIZES.tiny }[scale];
  const databases = (env.BENCH_DATABASES ?? 'postgres,pglite').split(',').map((d) => d.trim()) as Array<'postgres' | 'pglite'>;
  for (const database of databases) if (database !== 'postgres' && database !== 'pglite') throw new Error('BENCH_DATABASES lists postgres and/or pglite');
  return {
    databases,
    seconds: Number(env.BENCH_SECONDS ?? 10),
    connections: Number(env.BENCH_CONNECTIONS ?? 50),
    postgresUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    postgresSize: SIZES[scale],
    pgliteSize: smaller,
    workers: (env.BENCH_WORKERS ?? '1,2').split(',').map(Number),
    outDir: path.join(ROOT, 'bench', 'results'),
    measureStartup: env.BENCH_STARTUP !== '0',
    ...(env.BENCH_SCENARIOS === undefined ? {} : { only: env.BENCH_SCENARIOS.split(',').map((name) => name.trim()) }),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runBench(fromEnvironment(process.env));
  process.stdout.write(`\n${HEADER}\n${result.rows.map(formatRow).join('\n')}\n\nwritten: bench/results/latest.json, bench/results/latest.md\n`);
  process.exit(0);
}
