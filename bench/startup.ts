/**
 * `npm run bench:startup`: how long `demo` on the embedded database takes from process start
 * until /health answers, and the server's resident memory then, for the compiled build
 * (`node bin/parking-controller.js`) and for the TypeScript sources loaded through tsx
 * (`node --import tsx src/main.ts`, what development and the test suite run). Each run uses a
 * new data directory (first start, from the PGlite template) and then starts once more on it
 * (restart). Settings (environment):
 *   STARTUP_RUNS   runs per variant (default 5)
 *   STARTUP_FROM   dist,sources (default both; dist needs `npm run build` first)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VARIANTS = {
  dist: [path.join(ROOT, 'bin', 'parking-controller.js')],
  sources: ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')],
} as const;
type Variant = keyof typeof VARIANTS;

interface Sample {
  readonly ms: number;
  /** CPU time (user + system) the server used until then: what a busy machine does not inflate. */
  readonly cpuMs: number;
  readonly rssMb: number;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 102.4) / 10;
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts `demo` on `dataDir`, polls /health every 10 ms until it answers 200, then stops it. */
async function startOnce(variant: Variant, dataDir: string, port: number): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [...VARIANTS[variant], 'demo'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_TOKEN: 'startup-admin-token-0123456789' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  try {
    for (;;) {
      if (exitedEarly) throw new Error(`the server exited with ${child.exitCode} before answering /health`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { ms: Math.round(performance.now() - started), cpuMs: cpuMs(child.pid!), rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function summary(samples: Sample[]): string {
  const range = (values: number[], unit: string) => `${median(values)} ${unit} (${Math.min(...values)}-${Math.max(...values)})`;
  return `median ${range(
    samples.map((sample) => sample.ms),
    'ms',
  )}, CPU ${range(
    samples.map((sample) => sample.cpuMs),
    'ms',
  )}, RSS ${range(
    samples.map((sample) => sample.rssMb),
    'MB',
  )}`;
}

const runs = Number(process.env.STARTUP_RUNS ?? 5);
const variants = (process.env.STARTUP_FROM ?? 'dist,sources').split(',').map((name) => name.trim()) as Variant[];
for (const variant of variants) if (!(variant in VARIANTS)) throw new Error(`STARTUP_FROM: unknown variant ${variant}`);
const port = 18_000 + (process.pid % 2_000);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-startup-'));
try {
  console.log(
    `node ${process.version}, ${os.availableParallelism()} cores, load average ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  const first = new Map<Variant, Sample[]>(variants.map((variant) => [variant, []]));
  const restart = new Map<Variant, Sample[]>(variants.map((variant) => [variant, []]));
  // Variants take turns within each run, so a burst of load from elsewhere hits them alike.
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) {
      const dataDir = path.join(scratch, `${variant}-${run}`);
      first.get(variant)!.push(await startOnce(variant, dataDir, port));
      restart.get(variant)!.push(await startOnce(variant, dataDir, port));
    }
  }
  for (const variant of variants) {
    console.log(`${variant.padEnd(8)} first start on a new data dir: ${summary(first.get(variant)!)}`);
    console.log(`${variant.padEnd(8)} restart on that dir:           ${summary(restart.get(variant)!)}`);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
