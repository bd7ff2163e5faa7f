/**
 * Exports 100 000 overdue violations through violations/send_overdue_to_collections on each
 * database, against a real `parking-controller serve` process, and reports the call's time and
 * the server's peak resident memory (VmHWM) before and after.
 *
 *   npx tsx bench/collections-export.ts [count]
 *
 * PGlite runs in a temporary DATA_DIR. PostgreSQL runs when BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL) names a server: a scratch database is created there and dropped after.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseTarget } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import { createClient, createIntegration, createToken } from '../src/tenants/service.js';
import { createLocation, createViolationType } from '../src/violations/service.js';
import { createScratchDatabase } from '../test/helpers/scratch-database.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

async function seed(db: Kysely<DB>): Promise<string> {
  const client = await createClient(db, { code: 'BENCH', name: 'Bench' });
  const integration = await createIntegration(db, client.id, { name: 'Collections agency' });
  const token = await createToken(db, client.id, { integration: integration.id, scopes: ['violations-collections'] });
  const location = await createLocation(db, client.id, { name: 'Downtown Business District' });
  const type = await createViolationType(db, client.id, { description: 'Parked in Loading Zone', default_cost: 50, bylaw_code: 'BL-78' });
  // 1 000 vehicles, each with a driver, so records carry distinct nested rows
  await sql`insert into users (client_id, unique_id, login_source, first_name, last_name, email)
    select ${client.id}, 'driver-' || n, 'OPSCOM', 'Pat', 'Driver ' || n, 'pat' || n || '@example.test' from generate_series(1, 1000) n`.execute(db);
  await sql`insert into vehicles (client_id, plate, plate_norm, plate_type_id, province_id, make_id, vehicle_type_id, colour_id, year)
    select ${client.id}, 'BEN' || n, 'BEN' || n, 4, 9, 13, 5, 14, 2006 from generate_series(1, 1000) n`.execute(db);
  await sql`insert into vehicle_drivers (client_id, vehicle_id, user_id)
    select ${client.id}, v.id, u.id from vehicles v join users u on u.client_id = v.client_id and u.unique_id = 'driver-' || substr(v.plate, 4)
     where v.client_id = ${client.id}`.execute(db);
  await sql`insert into violations (client_id, uuid, ticket, vehicle_id, location_id, fine, issued_at, due_at)
    select ${client.id}, gen_random_uuid(), '1-' || (100000 + n), (select min(id) from vehicles where client_id = ${client.id}) + n % 1000,
           ${location.id}, 50, now() - interval '40 days', now() - interval '20 days'
      from generate_series(1, ${COUNT}::int) n`.execute(db);
  await sql`insert into violation_details (client_id, violation_id, violation_type_id, fine)
    select client_id, id, ${type.id}, 50 from violations where client_id = ${client.id}`.execute(db);
  await sql`analyze`.execute(db);
  return token.token;
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function run(label: string, target: DatabaseTarget, env: Record<string, string>) {
  const database = await openDatabase(target);
  await migrate(database.db);
  const seedStart = performance.now();
  const token = await seed(database.db);
  const seedMs = performance.now() - seedStart;
  await database.close();

  const server = spawn(process.execPath, ['bin/parking-controller.js', 'serve'], {
    env: { ...process.env, ...env, ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const url = `${base}/api/BENCH/v1/violations/send_overdue_to_collections`;
    const call = async (body: object) => {
      const start = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      // the headers leave once the marking transaction has committed and the body starts streaming
      const headersMs = performance.now() - start;
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${response.status}: ${text.slice(0, 300)}`);
      return { headersMs, ms: performance.now() - start, bytes: text.length, body: JSON.parse(text) as { batch_id: string; records: unknown[] } };
    };
    const rssBefore = peakRssMb(server.pid!);
    const exported = await call({ apiToken: token });
    const rssAfterExport = peakRssMb(server.pid!);
    const replay = await call({ apiToken: token, batch_id: exported.body.batch_id });
    const rssAfterReplay = peakRssMb(server.pid!);
    if (exported.body.records.length !== COUNT || replay.body.records.length !== COUNT) throw new Error('record count mismatch');
    console.log(
      `${label}: ${COUNT} violations (seeded in ${(seedMs / 1000).toFixed(1)} s); export ${(exported.ms / 1000).toFixed(1)} s ` +
        `(marked and committed after ${(exported.headersMs / 1000).toFixed(1)} s, then streamed), ` +
        `${(exported.bytes / 1e6).toFixed(0)} MB of JSON; replay ${(replay.ms / 1000).toFixed(1)} s; server peak RSS ` +
        `${rssBefore.toFixed(0)} MB before, ${rssAfterExport.toFixed(0)} MB after the export, ${rssAfterReplay.toFixed(0)} MB after the replay`,
    );
  } finally {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-bench-'));
try {
  await run('PGlite', { kind: 'pglite', dataDir }, { DATA_DIR: dataDir });
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (serverUrl !== undefined) {
  const scratch = await createScratchDatabase(serverUrl, 'pc_bench');
  try {
    await run('PostgreSQL', { kind: 'postgres', url: scratch.url }, { DATABASE_URL: scratch.url });
  } finally {
    await scratch.drop();
  }
} else {
  console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
}
