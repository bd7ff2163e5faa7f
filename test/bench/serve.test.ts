import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { listMigrations } from '../../src/db/migrate.js';
import { templateKey, templatePath } from '../../src/db/template.js';
import { openMigratedDatabase } from '../../src/server.js';
import { createScratchDatabase } from '../helpers/scratch-database.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ADMIN_TOKEN = 'serve-test-admin-token-0123';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-serve-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['bin/parking-controller.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_TOKEN, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitFor(check: () => boolean, what: string, ms = 90_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('serve --workers', () => {
  it('refuses more than one worker on the embedded PGlite database, saying why', async () => {
    const run = cli(['serve', '--workers', '2'], { DATA_DIR: path.join(scratch, 'refused') });
    expect(await run.exited).toBe(1);
    expect(run.err()).toContain('the embedded PGlite database runs in one process: --workers 2 needs DATABASE_URL (PostgreSQL)');
    expect(run.out()).not.toContain('listening');
  });

  it.each(['0', 'two', '1.5'])('rejects --workers %s', async (value) => {
    const run = cli(['serve', '--workers', value], { DATA_DIR: path.join(scratch, 'bad') });
    expect(await run.exited).not.toBe(0);
    expect(run.err()).toContain('a whole number from 1 to 64');
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'runs two workers on PostgreSQL sharing one port, each reporting its event loop, and stops them on SIGTERM',
    async () => {
      const serverUrl = process.env.TEST_DATABASE_URL!;
      const scratch = await createScratchDatabase(serverUrl, 'pc_test_workers');
      const run = cli(['serve', '--workers', '2'], { DATABASE_URL: scratch.url });
      try {
        await waitFor(() => /listening on http/.test(run.out()), 'the workers to listen');
        expect(run.out()).toContain('(PostgreSQL (DATABASE_URL), 2 workers)');
        const base = /listening on (http:\/\/\S+)/.exec(run.out())![1];
        const health = await fetch(`${base}/health`);
        expect(await health.json()).toEqual({ status: 'ok' });

        const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
        const created = await fetch(`${base}/admin/v1/clients`, { method: 'POST', headers, body: JSON.stringify({ code: 'WORKERS', name: 'Workers' }) });
        expect(created.status).toBe(201);
        // Every later request may land on either worker: all of them see the same database.
        for (let i = 0; i < 6; i++) {
          const shown = await fetch(`${base}/admin/v1/clients/WORKERS`, { headers: { authorization: headers.authorization } });
          expect(shown.status).toBe(200);
        }

        run.child.kill('SIGUSR2');
        const reportLines = () =>
          run
            .out()
            .split('\n')
            .filter((line) => line.includes('"msg":"event-loop"'));
        await waitFor(() => reportLines().length === 2, 'two event-loop reports');
        const reports = reportLines().map((line) => JSON.parse(line) as { level: number; pid: number; event_loop: { max_ms: number } });
        expect(new Set(reports.map((r) => r.pid)).size).toBe(2);
        for (const report of reports) expect([report.level, report.event_loop.max_ms]).toEqual([30, expect.any(Number)]);

        run.child.kill('SIGTERM');
        expect(await run.exited).toBe(0);
      } finally {
        run.child.kill('SIGKILL');
        await scratch.drop();
      }
    },
    120_000,
  );
});

describe('PGlite data directory template', () => {
  const templateDir = path.join(scratch, 'templates');
  const env = { PGLITE_TEMPLATE_DIR: templateDir };

  it('is named by a hash of the PGlite version and every migration', () => {
    expect(templateKey()).toMatch(/^[0-9a-f]{16}$/);
    expect(templatePath(env)).toBe(path.join(templateDir, `pglite-template-${templateKey()}.tar.gz`));
  });

  it('starts a new data directory from the template, then still applies the migrations the template lacks', async () => {
    // A template holding only the first migration: what a stale one would look like.
    const migrations = listMigrations();
    const stale = await openDatabase({ kind: 'pglite' });
    await sql`create table schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`.execute(
      stale.db,
    );
    await sql.raw(migrations[0]!.sql).execute(stale.db);
    await sql`insert into schema_migrations (version, name) values (${migrations[0]!.version}, ${migrations[0]!.name})`.execute(stale.db);
    await sql`insert into clients (code, code_key, name) values ('FROM_TEMPLATE', 'FROM_TEMPLATE', 'marks the template')`.execute(stale.db);
    const dump = await stale.dump!('gzip');
    await stale.close();
    fs.mkdirSync(templateDir, { recursive: true });
    fs.writeFileSync(templatePath(env), Buffer.from(await dump.arrayBuffer()));

    const previous = process.env.PGLITE_TEMPLATE_DIR;
    process.env.PGLITE_TEMPLATE_DIR = templateDir;
    try {
      const config = loadConfig({ DATA_DIR: path.join(scratch, 'new-dir'), ADMIN_TOKEN });
      const database = await openMigratedDatabase(config);
      const applied = await sql<{ version: number }>`select version from schema_migrations order by version`.execute(database.db);
      expect(applied.rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
      const marker = await sql<{ code: string }>`select code from clients`.execute(database.db);
      expect(marker.rows).toEqual([{ code: 'FROM_TEMPLATE' }]);
      await sql`insert into clients (code, code_key, name) values ('LATER', 'LATER', 'written after the start')`.execute(database.db);
      await database.close();

      // A restart opens the existing directory as it is: the template is not loaded over it.
      const reopened = await openMigratedDatabase(config);
      const codes = await sql<{ code: string }>`select code from clients order by code`.execute(reopened.db);
      expect(codes.rows.map((r) => r.code)).toEqual(['FROM_TEMPLATE', 'LATER']);
      await reopened.close();
    } finally {
      if (previous === undefined) delete process.env.PGLITE_TEMPLATE_DIR;
      else process.env.PGLITE_TEMPLATE_DIR = previous;
    }
  }, 120_000);

  it('is built on first use when missing, from the current migrations', async () => {
    const dir = path.join(scratch, 'built');
    const previous = process.env.PGLITE_TEMPLATE_DIR;
    process.env.PGLITE_TEMPLATE_DIR = dir;
    try {
      const database = await openMigratedDatabase(loadConfig({ DATA_DIR: path.join(scratch, 'built-dir'), ADMIN_TOKEN }));
      await database.close();
      expect(fs.readdirSync(dir)).toEqual([path.basename(templatePath({ PGLITE_TEMPLATE_DIR: dir }))]);
      const fromTemplate = await openDatabase({ kind: 'pglite', template: new Blob([fs.readFileSync(templatePath({ PGLITE_TEMPLATE_DIR: dir }))]) });
      const applied = await sql<{ version: number }>`select version from schema_migrations order by version`.execute(fromTemplate.db);
      expect(applied.rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
      await fromTemplate.close();
    } finally {
      if (previous === undefined) delete process.env.PGLITE_TEMPLATE_DIR;
      else process.env.PGLITE_TEMPLATE_DIR = previous;
    }
  }, 120_000);
});
