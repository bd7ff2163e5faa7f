import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';

/**
 * `admin …` while a server holds the embedded data directory: the command goes to the server's
 * admin API and prints what it prints without a server. Real processes throughout.
 */

const ADMIN_TOKEN = 'cli-server-admin-token-42';
const SERVER_FILE = 'parking-controller.server.json';
const LOCK_FILE = 'parking-controller.lock';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-server-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A line of a ```sh block as argv: words, with "…" and '…' quoting. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** Times differ from run to run; everything else of an output must not. */
const withoutTimes = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<time>');

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the same commands in order; a step may read the outputs so far (a cursor). Steps run
 * one after the other: each sees the previous one's writes.
 */
async function runSteps(steps: Array<string[] | ((outputs: Outcome[]) => string[])>, env: Record<string, string | undefined>): Promise<Outcome[]> {
  const outputs: Outcome[] = [];
  for (const step of steps) {
    const args = typeof step === 'function' ? step(outputs) : step;
    const result = await runCli(args, env);
    outputs.push({ code: result.code, stdout: withoutTimes(result.stdout), stderr: result.stderr });
  }
  return outputs;
}

const nextCursor = (output: Outcome) => /^next_cursor: (\d+)$/m.exec(output.stdout)?.[1] ?? 'none';

describe('admin commands while the demo runs on the embedded database', () => {
  let serverDir: string;
  let directDir: string;
  let server: RunningServer;
  const serverEnv = () => ({ DATA_DIR: serverDir, DATABASE_URL: undefined, ADMIN_TOKEN: undefined, PARKING_CONTROLLER_URL: undefined });

  beforeAll(async () => {
    // the same demo data in a directory no server holds: the demo started once and stopped
    directDir = tempDir();
    const once = await startServer('demo', { DATA_DIR: directDir, DATABASE_URL: undefined, ADMIN_TOKEN }, /demo token:\s+\S+/);
    expect(await once.stop()).toBe(0);
    serverDir = tempDir();
    server = await startServer('demo', { DATA_DIR: serverDir, DATABASE_URL: undefined, ADMIN_TOKEN }, /demo token:\s+\S+/);
  }, 240_000);
  afterAll(async () => {
    if (server?.child.exitCode === null) await server.stop();
  });

  it('leaves its address and a credential of its own in the data directory, readable by its user only', async () => {
    const file = path.join(serverDir, SERVER_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(ADMIN_TOKEN);
    const published = JSON.parse(text);
    expect(published).toStrictEqual({ url: server.baseUrl, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), pid: server.child.pid });
    // the admin API takes it like the admin token; a near miss is refused
    const clients = await fetch(`${server.baseUrl}/admin/v1/clients`, { headers: { authorization: `Bearer ${published.token}` } });
    expect(clients.status).toBe(200);
    const nearMiss = await fetch(`${server.baseUrl}/admin/v1/clients`, { headers: { authorization: `Bearer ${published.token.slice(0, -1)}x` } });
    expect(nearMiss.status).toBe(401);
  });

  it('prints the same answers, errors and exit codes through the server as on the database', async () => {
    const steps: Array<string[] | ((outputs: Outcome[]) => string[])> = [
      ['admin', 'clients', 'list', '--json'],
      ['admin', 'clients', 'create', '--code', 'SAME', '--name', 'Same University'],
      ['admin', 'clients', 'create', '--code', 'same'],
      ['admin', 'lots', 'create', '--client', 'SAME', '--name', 'Lot 1', '--lot-type', 'M', '--capacity', 'many'],
      ['admin', 'lots', 'create', '--client', 'SAME', '--name', 'Lot 1', '--lot-type', 'M', '--capacity', '40', '--default-cost', '12.50', '--json'],
      ['admin', 'lots', 'create', '--client', 'SAME', '--name', 'Lot 2', '--lot-type', 'Y'],
      ['admin', 'lots', 'list', '--client', 'SAME', '--limit', '1'],
      (outputs) => ['admin', 'lots', 'list', '--client', 'SAME', '--limit', '1', '--cursor', nextCursor(outputs[6]!)],
      ['admin', 'lots', 'list', '--client', 'SAME', '--limit', 'ten'],
      ['admin', 'users', 'create', '--client', 'SAME', '--unique-id', 'u1'],
      ['admin', 'integrations', 'update', '--client', 'SAME', '--id', '999', '--name', 'X'],
      ['admin', 'lots', 'list', '--client', 'NOPE'],
      ['admin', 'clients', 'show', '--client', '..'],
      ['admin', 'clients', 'show', '--client', ''],
      ['admin', 'lots', 'create', '--client', 'SAME', '--data', '{"name":'],
      ['admin', 'audit', 'list', '--client', 'SAME'],
    ];
    const direct = await runSteps(steps, { DATA_DIR: directDir, DATABASE_URL: undefined, ADMIN_TOKEN: undefined });
    const throughServer = await runSteps(steps, serverEnv());
    expect(throughServer).toStrictEqual(direct);

    // what they printed, checked once
    expect(JSON.parse(direct[0]!.stdout).items.map((client: { code: string }) => client.code)).toStrictEqual(['OC_TOMA']);
    expect(direct[1]).toMatchObject({ code: 0, stderr: '' });
    expect(direct[1]!.stdout).toMatch(/^id: \d+\ncode: SAME\nname: Same University\ntimezone: America\/Toronto\n/);
    expect(direct.slice(2, 4).map((output) => [output.code, output.stderr])).toStrictEqual([
      [1, 'error: a client with code same already exists (field: code)\n'],
      [1, 'error: capacity: must be a whole number (permit capacity) (field: capacity)\n'],
    ]);
    expect(JSON.parse(direct[4]!.stdout)).toMatchObject({ name: 'Lot 1', capacity: 40, default_cost: '12.50', created_at: '<time>' });
    // a page of a table, then where the next one starts; the last page has no next_cursor
    expect(direct[6]!.stdout).toContain("'Lot 1'");
    expect(direct[6]!.stdout).toMatch(/\nnext_cursor: \d+\n$/);
    expect(direct[7]!.stdout).toContain("'Lot 2'");
    expect(direct[7]!.stdout).not.toContain('next_cursor');
    expect(direct.slice(8).map((output) => [output.code, output.stderr])).toStrictEqual([
      [1, 'error: limit: must be a whole number from 1 (field: limit)\n'],
      [1, 'error: The user e-mail is required. (code 9016, field: email)\n'],
      [1, 'error: no integration 999 for this client (field: id)\n'],
      [1, 'error: no client with code NOPE (field: code)\n'],
      [1, 'error: no client with code .. (field: code)\n'],
      [1, 'error: code: must not be empty (field: code)\n'],
      [1, 'error: --data is not valid JSON (field: data)\n'],
      [0, ''],
    ]);
    expect(direct[15]!.stdout).toBe('(none)\n');

    // the server made the writes: its admin API has them, and it still holds the directory
    const created = await fetch(`${server.baseUrl}/admin/v1/clients/SAME/lots`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect((await created.json()).items.map((lot: { name: string }) => lot.name)).toStrictEqual(['Lot 1', 'Lot 2']);
    expect(JSON.parse(fs.readFileSync(path.join(serverDir, LOCK_FILE), 'utf8')).pid).toBe(server.child.pid);
  }, 300_000);

  it("runs the README's command-line steps, and the token they issue works on the integration API", async () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The command line'), readme.indexOf('\n## ', readme.indexOf('## The command line') + 1));
    const lines = section.split('\n').filter((line) => line.startsWith('npx parking-controller admin') || line.startsWith('export '));
    const commands = lines.filter((line) => line.startsWith('npx '));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const env: Record<string, string | undefined> = serverEnv();
    let issuedToken: string | undefined;
    for (const line of lines) {
      const [command, ...args] = shellWords(line);
      if (command === 'export') {
        const [name = '', value] = args[0]!.split(/=(.*)/s);
        env[name] = value;
        continue;
      }
      const result = await runCli(args.slice(1), env);
      expect([line, result.code, result.stderr]).toStrictEqual([line, 0, '']);
      if (args.includes('tokens') && args.includes('create')) issuedToken = JSON.parse(result.stdout).token;
    }
    expect(issuedToken).toMatch(/^pc-/);
    const client = commands.map(shellWords).find((words) => words.includes('clients'))!;
    const code = client[client.indexOf('--code') + 1];
    const stats = await fetch(`${server.baseUrl}/api/${code}/v1/permits/stats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiToken: issuedToken }),
    });
    expect([stats.status, await stats.json()]).toStrictEqual([200, { data: [] }]);
  }, 120_000);

  it('reaches a server named by --url or PARKING_CONTROLLER_URL with ADMIN_TOKEN, and says why when it cannot', async () => {
    // a data directory of its own: the command cannot have opened the demo's database
    const elsewhere = { DATA_DIR: tempDir(), DATABASE_URL: undefined };
    const shown = await runCli(['admin', 'clients', 'show', '--client', 'oc-toma', '--url', server.baseUrl, '--json'], { ...elsewhere, ADMIN_TOKEN });
    expect([shown.code, shown.stderr]).toStrictEqual([0, '']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ code: 'OC_TOMA' });
    const byEnvironment = await runCli(['admin', 'clients', 'show', '--client', 'NOPE'], {
      ...elsewhere,
      ADMIN_TOKEN,
      PARKING_CONTROLLER_URL: `${server.baseUrl}/`,
    });
    expect([byEnvironment.code, byEnvironment.stderr]).toStrictEqual([1, 'error: no client with code NOPE (field: code)\n']);

    const origin = new URL(server.baseUrl).origin;
    const noToken = await runCli(['admin', 'clients', 'list', '--url', server.baseUrl], { ...elsewhere, ADMIN_TOKEN: undefined });
    expect([noToken.code, noToken.stderr]).toStrictEqual([
      1,
      `error: ADMIN_TOKEN is required to send a command to the server at ${origin} (--url or PARKING_CONTROLLER_URL): set it to that server's admin token\n`,
    ]);
    const wrongToken = await runCli(['admin', 'clients', 'list', '--url', server.baseUrl], { ...elsewhere, ADMIN_TOKEN: 'not-the-admin-token-at-all' });
    expect([wrongToken.code, wrongToken.stderr]).toStrictEqual([
      1,
      `error: the server at ${origin} refused the admin token (HTTP 401: a valid admin token is required)\n`,
    ]);
    const unreachable = await runCli(['admin', 'clients', 'list', '--url', 'http://127.0.0.1:1'], { ...elsewhere, ADMIN_TOKEN });
    expect([unreachable.code, unreachable.stderr]).toStrictEqual([
      1,
      'error: cannot reach the server at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n',
    ]);
    const notUrl = await runCli(['admin', 'clients', 'list', '--url', 'ftp://example.org'], { ...elsewhere, ADMIN_TOKEN });
    expect([notUrl.code, notUrl.stderr]).toStrictEqual([1, 'error: --url ftp://example.org must be an http:// or https:// address\n']);
  }, 60_000);

  it('still refuses a second server on the same directory', async () => {
    const second = await runCli(['serve'], { DATA_DIR: serverDir, DATABASE_URL: undefined, ADMIN_TOKEN, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by process ${server.child.pid}`);
  }, 60_000);

  it('removes the file when it stops; the command line then opens the database itself', async () => {
    expect(await server.stop()).toBe(0);
    expect(fs.existsSync(path.join(serverDir, SERVER_FILE))).toBe(false);
    expect(fs.existsSync(path.join(serverDir, LOCK_FILE))).toBe(false);
    const shown = await runCli(['admin', 'lots', 'list', '--client', 'SAME', '--json'], serverEnv());
    expect([shown.code, shown.stderr]).toStrictEqual([0, '']);
    expect(JSON.parse(shown.stdout).items.map((lot: { name: string }) => lot.name)).toStrictEqual(['Lot 1', 'Lot 2']);
  }, 60_000);
});

/** The start time of this process as the lock records it (field 22 of /proc/self/stat). */
function ownStartTime(): string {
  const stat = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

describe('the data directory lock', () => {
  const env = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: undefined });
  const writeLock = (dataDir: string, content: string) => fs.writeFileSync(path.join(dataDir, LOCK_FILE), content);

  it('records the owner by pid, start time and boot while it is held', async () => {
    const dataDir = tempDir();
    const server = await startServer('serve', { ...env(dataDir), ADMIN_TOKEN });
    try {
      const owner = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'));
      expect(owner.pid).toBe(server.child.pid);
      if (fs.existsSync('/proc/self/stat')) {
        expect(owner.start).toMatch(/^\d+$/);
        expect(owner.boot).toBe(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 90_000);

  describe.runIf(fs.existsSync('/proc/self/stat'))('where /proc tells start times', () => {
    const boot = () => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

    it('takes over a lock whose pid now belongs to another live process', async () => {
      const dataDir = tempDir();
      // this test runner is alive, but it is not the process that took the lock
      writeLock(dataDir, JSON.stringify({ pid: process.pid, start: String(Number(ownStartTime()) + 1), boot: boot() }));
      const result = await runCli(['migrate'], env(dataDir));
      expect([result.code, result.stderr]).toStrictEqual([0, '']);
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
      // the same from a previous boot
      writeLock(dataDir, JSON.stringify({ pid: process.pid, start: ownStartTime(), boot: '00000000-0000-4000-8000-000000000000' }));
      const afterReboot = await runCli(['migrate'], env(dataDir));
      expect([afterReboot.code, afterReboot.stderr]).toStrictEqual([0, '']);
    }, 60_000);

    it('refuses while the recorded process runs: same pid, start time and boot, or an old lock of a live pid', async () => {
      const dataDir = tempDir();
      for (const owner of [JSON.stringify({ pid: process.pid, start: ownStartTime(), boot: boot() }), String(process.pid)]) {
        writeLock(dataDir, owner);
        const result = await runCli(['migrate'], env(dataDir));
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`is in use by process ${process.pid}`);
      }
      // an admin command too: no server published an address, so it tries the database
      const command = await runCli(['admin', 'clients', 'list'], env(dataDir));
      expect(command.code).toBe(1);
      expect(command.stderr).toContain(`is in use by process ${process.pid}`);
    }, 60_000);
  });

  it('ignores the file of a server that no longer runs, and opens the database', async () => {
    const dataDir = tempDir();
    writeLock(dataDir, '999999');
    fs.writeFileSync(path.join(dataDir, SERVER_FILE), JSON.stringify({ url: 'http://127.0.0.1:1', token: 'left-by-a-crash', pid: 999999 }), { mode: 0o600 });
    const result = await runCli(['admin', 'clients', 'list', '--json'], env(dataDir));
    expect([result.code, result.stderr]).toStrictEqual([0, '']);
    expect(JSON.parse(result.stdout)).toStrictEqual({ items: [], next_cursor: null });
  }, 60_000);
});
