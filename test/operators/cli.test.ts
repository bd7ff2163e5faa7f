import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase } from '../helpers/app.js';
import { runCli, startServer } from '../helpers/cli.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-operators-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'a long enough password';

describe.each(DATABASES)('operators commands on %s', (kind) => {
  it('create, list, show, set a password, disable; each change is an operator action of cli', async () => {
    const database = kind === 'postgres' ? await freshDatabase('postgres') : undefined;
    const env = kind === 'postgres' ? { DATABASE_URL: database!.url } : { DATA_DIR: tempDir() };
    try {
      await runCli(['admin', 'clients', 'create', '--code', 'OPS_U'], env);
      const created = await runCli(
        [
          'admin',
          'operators',
          'create',
          '--username',
          'officer1',
          '--display-name',
          'Officer One',
          '--role',
          'officer',
          '--client',
          'ops-u',
          '--password',
          PASSWORD,
          '--json',
        ],
        env,
      );
      expect(created.stderr).toBe('');
      expect(JSON.parse(created.stdout)).toMatchObject({
        username: 'officer1',
        display_name: 'Officer One',
        role: 'officer',
        client_code: 'OPS_U',
        disabled: false,
      });
      expect(created.stdout).not.toContain(PASSWORD);

      const short = await runCli(['admin', 'operators', 'create', '--username', 'x', '--display-name', 'X', '--role', 'admin', '--password', 'short'], env);
      expect([short.code, short.stderr]).toEqual([1, 'error: password: must be at least 12 characters (field: password)\n']);

      const list = await runCli(['admin', 'operators', 'list', '--json'], env);
      expect(JSON.parse(list.stdout).items.map((o: { username: string }) => o.username)).toEqual(['officer1']);
      expect(list.stdout).not.toMatch(/scrypt|password/);

      const changed = await runCli(['admin', 'operators', 'set-password', '--username', 'OFFICER1', '--password', 'another long password', '--json'], env);
      expect(changed.code).toBe(0);
      const disabled = await runCli(['admin', 'operators', 'disable', '--username', 'officer1', '--json'], env);
      expect(JSON.parse(disabled.stdout).disabled).toBe(true);
      const unknown = await runCli(['admin', 'operators', 'show', '--username', 'nobody'], env);
      expect([unknown.code, unknown.stderr]).toEqual([1, 'error: no operator named nobody (field: username)\n']);

      const actions = await runCli(['admin', 'operator-actions', 'list', '--operator', 'cli', '--json'], env);
      const items = JSON.parse(actions.stdout).items as Array<Record<string, unknown>>;
      expect(items.map((a) => [a.resource, a.action, a.status])).toEqual([
        ['operators', 'disable', 200],
        ['operators', 'set-password', 200],
        ['operators', 'create', 400],
        ['operators', 'create', 201],
        ['clients', 'create', 201],
      ]);
      expect(items[0]).toMatchObject({ actor: 'cli', operator_id: null, method: 'POST', params: { username: 'officer1' } });
      expect(actions.stdout).not.toContain(PASSWORD);
    } finally {
      await database?.close();
    }
  }, 120_000);
});

describe('the demo console admin', () => {
  it('is created with a random password printed once; a later start says how to reset it', async () => {
    const env = { DATA_DIR: tempDir(), ADMIN_TOKEN: 'operators-test-admin-token' };
    const first = await startServer('demo', env, /console: .*\n/);
    let password: string;
    try {
      const line = / {2}console: {6}(http:\/\/\S+\/) {2}\(user admin, password (\S+)\)\n/.exec(first.output());
      expect(line?.[1]).toBe(`${first.baseUrl}/`);
      password = line![2]!;
      expect(password.length).toBeGreaterThanOrEqual(12);
      const signIn = await fetch(`${first.baseUrl}/admin/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(signIn.status).toBe(200);
      expect((await signIn.json()).operator).toMatchObject({ username: 'admin', role: 'admin', client_code: null });
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const again = await startServer('demo', env, /console: .*\n/);
    try {
      expect(again.output()).toContain(
        `  console:      ${again.baseUrl}/  (user admin; password shown at first start; reset with: parking-controller admin operators set-password --username admin --password …)\n`,
      );
      expect(again.output()).not.toContain(password);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 180_000);
});
