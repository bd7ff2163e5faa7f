import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer } from '../helpers/cli.js';
import { DATABASES, freshDatabase } from '../helpers/app.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the command line', () => {
  it('has --help on every command', async () => {
    const root = await runCli(['--help']);
    expect(root.code).toBe(0);
    for (const command of ['serve', 'migrate', 'demo', 'admin']) expect(root.stdout).toContain(command);
    expect(root.stdout).toContain('DATABASE_URL');
    const create = await runCli(['admin', 'lots', 'create', '--help']);
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/--client <code>/);
    expect(create.stdout).toMatch(/--lot-type <value>/);
    expect(create.stdout).toMatch(/--json/);
  });

  it('refuses to serve without ADMIN_TOKEN, with a clear message', async () => {
    const result = await runCli(['serve'], { ADMIN_TOKEN: '', DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ADMIN_TOKEN is required');
  });
});

describe.each(DATABASES)('admin commands on %s', (kind) => {
  it('create a client, an integration and a token, list them, and report bad input', async () => {
    const database = kind === 'postgres' ? await freshDatabase('postgres') : undefined;
    const env = kind === 'postgres' ? { DATABASE_URL: database!.url } : { DATA_DIR: tempDir() };
    try {
      const client = await runCli(['admin', 'clients', 'create', '--code', 'CLI_U', '--name', 'CLI University', '--json'], env);
      expect(client.stderr).toBe('');
      expect(JSON.parse(client.stdout)).toMatchObject({ code: 'CLI_U', name: 'CLI University', timezone: 'America/Toronto' });
      const integration = await runCli(['admin', 'integrations', 'create', '--client', 'cli-u', '--name', 'Meters', '--origin', 'T2', '--json'], env);
      expect(JSON.parse(integration.stdout)).toMatchObject({ name: 'Meters', origin: 'T2' });
      const token = await runCli(
        ['admin', 'tokens', 'create', '--client', 'CLI_U', '--integration', 'Meters', '--scopes', 'permit-create,permit-stats', '--json'],
        env,
      );
      const issued = JSON.parse(token.stdout);
      expect(issued.token).toMatch(/^pc-[A-Za-z0-9]{44}$/);
      expect(issued.scopes).toEqual(['permit-create', 'permit-stats']);
      const list = await runCli(['admin', 'tokens', 'list', '--client', 'CLI_U', '--json'], env);
      expect(JSON.parse(list.stdout).items).toHaveLength(1);
      expect(list.stdout).not.toContain(issued.token);
      const duplicate = await runCli(['admin', 'clients', 'create', '--code', 'cli-u'], env);
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toContain('error: a client with code cli-u already exists (field: code)');
      const badLot = await runCli(['admin', 'lots', 'create', '--client', 'CLI_U', '--name', 'Lot 1', '--lot-type', 'M', '--capacity', 'many'], env);
      expect(badLot.code).toBe(1);
      expect(badLot.stderr.trim()).toBe('error: capacity: must be a whole number (permit capacity) (field: capacity)');
      const badPermit = await runCli(
        ['admin', 'permits', 'create', '--client', 'CLI_U', '--permit-type', 'X', '--start', 'tomorrow', '--end', '2027-01-01T00:00:00Z'],
        env,
      );
      expect(badPermit.stderr.trim()).toBe('error: start: must be an ISO-8601 time with an offset, e.g. 2026-11-24T10:00:00Z (field: start)');
      const unknownClient = await runCli(['admin', 'lots', 'list', '--client', 'NOPE'], env);
      expect([unknownClient.code, unknownClient.stderr.trim()]).toEqual([1, 'error: no client with code NOPE (field: code)']);
    } finally {
      await database?.close();
    }
  }, 120_000);
});

describe('the embedded database', () => {
  it('keeps its data across restarts, refuses a second process, and takes over a stale lock', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: 'cli-test-admin-token-42' };
    const first = await startServer('demo', env, /demo token:\s+\S+/);
    expect(first.output()).toContain('demo client:  OC_TOMA (created)');
    expect(first.output()).not.toContain('admin token:');
    const token = /demo token:\s+(\S+)/.exec(first.output())![1];
    const typesList = (base: string) =>
      fetch(`${base}/api/OC_TOMA/v1/profiles/types/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiToken: token }),
      });
    const before = await typesList(first.baseUrl);
    expect(before.status).toBe(200);
    expect((await before.json()).user_types).toHaveLength(9);

    const second = await runCli(['migrate'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by process ${first.child.pid}`);

    expect(await first.stop()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'parking-controller.lock'))).toBe(false);

    fs.writeFileSync(path.join(dataDir, 'parking-controller.lock'), '999999');
    const again = await startServer('demo', env, /demo token:\s+\S+/);
    try {
      expect(again.output()).toContain('demo client:  OC_TOMA\n');
      const after = await typesList(again.baseUrl);
      expect(after.status).toBe(200);
      const audit = await fetch(`${again.baseUrl}/admin/v1/clients/OC_TOMA/audit`, { headers: { authorization: 'Bearer cli-test-admin-token-42' } });
      expect((await audit.json()).items.length).toBeGreaterThanOrEqual(2);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 180_000);
});

describe.runIf(DATABASES.includes('postgres'))('graceful shutdown on postgres', () => {
  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const database = await freshDatabase('postgres');
    const env = { DATABASE_URL: database.url, ADMIN_TOKEN: 'cli-test-admin-token-42' };
    const server = await startServer('serve', env);
    const blocker = new pg.Client({ connectionString: database.url });
    try {
      const admin = (path: string, body: unknown) =>
        fetch(`${server.baseUrl}/admin/v1${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer cli-test-admin-token-42' },
          body: JSON.stringify(body),
        }).then((response) => response.json());
      await admin('/clients', { code: 'SHUT' });
      const integration = await admin('/clients/SHUT/integrations', { name: 'Meters' });
      const { token } = await admin('/clients/SHUT/tokens', { integration: integration.id, scopes: 'all' });

      // Hold the user types table so the next request waits in the database.
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('lock table user_types in access exclusive mode');
      const inFlight = fetch(`${server.baseUrl}/api/SHUT/v1/profiles/types/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiToken: token }),
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      server.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.child.exitCode).toBeNull();
      await blocker.query('commit');

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.headers.get('connection')).toBe('close');
      expect(await response.json()).toEqual({ status: 'success', user_types: [] });
      expect(await exited).toBe(0);
      await expect(fetch(`${server.baseUrl}/health`)).rejects.toThrow();
    } finally {
      await blocker.end().catch(() => {});
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await database.close();
    }
  }, 120_000);
});

describe('start-up failures and the shutdown deadline', () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

  it('prints one line and exits 1 when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await runCli(['serve'], { PORT: String(port), DATA_DIR: tempDir(), ADMIN_TOKEN: 'cli-test-admin-token-42', DATABASE_URL: undefined });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`error: the address is already in use (127.0.0.1:${port}): another server runs there; stop it or set PORT`);
      noStack(result.stderr);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('prints one line and exits 1 when PostgreSQL cannot be reached or the database is missing', async () => {
    const unreachable = await runCli(['serve'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', ADMIN_TOKEN: 'cli-test-admin-token-42' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim()).toBe('error: cannot reach PostgreSQL (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1');
    noStack(unreachable.stderr);
    if (DATABASES.includes('postgres')) {
      const server = new URL(process.env.TEST_DATABASE_URL!);
      server.pathname = '/pc_no_such_database';
      const missing = await runCli(['serve'], { DATABASE_URL: server.toString(), ADMIN_TOKEN: 'cli-test-admin-token-42' });
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim()).toBe(
        'error: PostgreSQL: database "pc_no_such_database" does not exist; create it, or point DATABASE_URL at an existing database',
      );
    }
  }, 60_000);

  it('exits 1 at the shutdown deadline when a request never finishes arriving', async () => {
    const server = await startServer('serve', {
      DATA_DIR: tempDir(),
      DATABASE_URL: undefined,
      ADMIN_TOKEN: 'cli-test-admin-token-42',
      SHUTDOWN_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '60000',
      IDLE_TIMEOUT_MS: '60000',
    });
    const url = new URL(server.baseUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    socket.on('error', () => {});
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('POST /api/X/v1/permits/stats HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const code = await server.stop();
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(server.output()).toContain('shutdown did not finish in time; exiting');
    } finally {
      socket.destroy();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);
});
