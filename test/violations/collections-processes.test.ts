import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { bulkOverdue, ticketingTenant } from './enforcement-fixtures.js';

interface Server {
  readonly process: ChildProcess;
  readonly base: string;
}

/** `parking-controller serve` on the test database, in its own process; resolves once it listens. */
async function startServer(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, ['bin/parking-controller.js', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { process: child, base };
}

async function stopServer(server: Server): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = once(server.process, 'exit');
  server.process.kill('SIGTERM');
  await exited;
}

describe.runIf(DATABASES.includes('postgres'))('collections export from two server processes on PostgreSQL', () => {
  let t: TestApp;
  const servers: Server[] = [];
  beforeAll(async () => {
    t = await startTestApp('postgres');
    const url = (t.database as { url?: string }).url!;
    servers.push(...(await Promise.all([startServer(url), startServer(url)])));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    await t.close();
  });

  it('returns each of 3 000 overdue violations exactly once over 20 concurrent calls spread over both processes', async () => {
    const s = await ticketingTenant(t);
    await bulkOverdue(t, s.tenant.clientId, s.vehicle.id, s.type.id, 3000);
    const calls = Array.from({ length: 20 }, async (_, index) => {
      const response = await fetch(`${servers[index % 2]!.base}/api/${s.tenant.code}/v1/violations/send_overdue_to_collections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiToken: s.tenant.token }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { batch_id: string; records: Array<{ ViolationID: number }> };
    });
    const bodies = await Promise.all(calls);
    const seen = bodies.flatMap((body) => body.records.map((record) => record.ViolationID));
    expect(seen).toHaveLength(3000);
    expect(new Set(seen).size).toBe(3000);
    const db = t.database.db;
    const unsent = await db
      .selectFrom('violations')
      .select(sql<string>`count(*)`.as('n'))
      .where('client_id', '=', s.tenant.clientId)
      .where('sent_to_collections_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(unsent.n)).toBe(0);
    // every batch's stored records are exactly what its call answered
    for (const body of bodies) {
      const items = await db
        .selectFrom('collections_batch_items')
        .select('violation_id')
        .where('client_id', '=', s.tenant.clientId)
        .where('batch_id', '=', body.batch_id)
        .orderBy('violation_id')
        .execute();
      expect(items.map((item) => item.violation_id)).toStrictEqual(body.records.map((record) => record.ViolationID));
    }
  }, 120_000);
});
