import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** The CLI on its own embedded database: `admin users …` and `admin vehicles …` on the same services as the API. */
describe('admin users and vehicles from the CLI', () => {
  let dataDir: string;
  const cli = async (...args: string[]) => {
    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } as Record<string, string | undefined>;
    delete env.DATABASE_URL;
    try {
      const { stdout } = await run(process.execPath, ['bin/parking-controller.js', 'admin', ...args], { env, cwd: path.resolve(import.meta.dirname, '../..') });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a user and a vehicle with that driver, shows it, and reports push codes on bad input', async () => {
    expect((await cli('clients', 'create', '--code', 'CLI_U', '--json')).code).toBe(0);
    const user = await cli(
      'users',
      'create',
      '--client',
      'CLI_U',
      '--unique-id',
      'cli-1',
      '--email',
      'cli@example.test',
      '--first-name',
      'Cli',
      '--last-name',
      'User',
      '--province',
      'ny',
      '--json',
    );
    expect(user.code).toBe(0);
    const userId = JSON.parse(user.stdout).id;
    expect(JSON.parse(user.stdout)).toMatchObject({ unique_id: 'cli-1', login_source: 'OPSCOM', province: 'NY' });
    const vehicle = await cli(
      'vehicles',
      'create',
      '--client',
      'CLI_U',
      '--plate',
      'CLI 01',
      '--plateType',
      'Passenger',
      '--prov',
      'Ontario',
      '--make',
      'Kia',
      '--driver-user-ids',
      String(userId),
      '--json',
    );
    expect(vehicle.code).toBe(0);
    const created = JSON.parse(vehicle.stdout);
    expect(created).toMatchObject({ plate: 'CLI 01', province_id: 9, make: 'Kia', driver_user_ids: [userId], warnings: [] });
    const shown = await cli('vehicles', 'show', '--client', 'CLI_U', '--id', String(created.id), '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: created.id, plate_type: 'Passenger' });
    const dup = await cli('vehicles', 'create', '--client', 'CLI_U', '--plate', 'cli-01', '--plateTypeID', '4', '--provID', '9');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('error: The vehicle is already in the database. (code 9012, field: plate)');
  }, 300_000);
});
