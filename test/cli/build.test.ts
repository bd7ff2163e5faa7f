import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli, startServer } from '../helpers/cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGE_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-build-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

// The test run builds dist/ first (test/helpers/global-setup.ts); these run what it produced.
describe('the compiled build', () => {
  it('is what the executable runs: JavaScript and the SQL migrations in dist/, no TypeScript', () => {
    expect(fs.readFileSync(BIN, 'utf8')).toContain('../dist/main.js');
    expect(fs.existsSync(path.join(ROOT, 'dist', 'main.js'))).toBe(true);
    const migrations = fs.readdirSync(path.join(ROOT, 'src', 'db', 'migrations'));
    expect(fs.readdirSync(path.join(ROOT, 'dist', 'db', 'migrations'))).toEqual(migrations);
    const typescript = fs.readdirSync(path.join(ROOT, 'dist'), { recursive: true }).filter((file) => String(file).endsWith('.ts'));
    expect(typescript).toEqual([]);
  });

  it('answers --version with the version of package.json, and --help', async () => {
    const version = await runCli(['--version']);
    expect([version.code, version.stdout.trim()]).toEqual([0, PACKAGE_VERSION]);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('-V, --version');
  });

  it('applies the shipped migrations to a new embedded database', async () => {
    const result = await runCli(['migrate'], { DATA_DIR: tempDir() });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(
      'applied 001_core.sql, 002_permits.sql, 003_enforcement.sql, 004_rate_limits.sql, 005_collections_batch_order.sql, 006_operators.sql, 007_change_log.sql, 008_webhooks.sql, 009_zone_aliases.sql, 010_token_rotation.sql, 011_permit_history.sql',
    );
  }, 60_000);

  it('serves the demo: liveness and readiness over HTTP, also to a probe sending a JSON content type and no body', async () => {
    const server = await startServer('demo', { DATA_DIR: tempDir(), ADMIN_TOKEN: 'build-test-admin-token-42' });
    try {
      const live = await fetch(`${server.baseUrl}/health`, { headers: { 'content-type': 'application/json' } });
      expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await fetch(`${server.baseUrl}/health/ready`, { headers: { 'content-type': 'application/json' } });
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
      const head = await fetch(`${server.baseUrl}/health/ready`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      const openapi = await (await fetch(`${server.baseUrl}/openapi.json`)).json();
      expect(openapi.info.version).toBe(PACKAGE_VERSION);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 120_000);

  it('says how to build when dist/ is missing', () => {
    const checkout = tempDir();
    fs.mkdirSync(path.join(checkout, 'bin'));
    fs.copyFileSync(BIN, path.join(checkout, 'bin', 'parking-controller.js'));
    const result = spawnSync(process.execPath, [path.join(checkout, 'bin', 'parking-controller.js'), '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('parking-controller is not built: run `npm run build`');
  });
});
