import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer } from '../helpers/cli.js';

/**
 * An answer's CSV form on the command line (`--format csv`): printed as the admin API sends it,
 * whether the command goes to a running server or runs on the database itself.
 */
const ADMIN_TOKEN = 'cli-csv-admin-token-0123456789';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-csv-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('admin collections-batches show --format csv', () => {
  it('prints the batch as CSV through the server and on the database alike, and refuses another format', async () => {
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN };
    const server = await startServer('demo', { ...env, HOST: '127.0.0.1' });
    let batchId: string;
    let tickets: string[];
    let throughServer: Awaited<ReturnType<typeof runCli>>;
    try {
      const admin = async (method: string, url: string, body?: object): Promise<any> => {
        const answer = await fetch(`${server.baseUrl}/admin/v1${url}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return answer.json();
      };
      const integration = (await admin('GET', '/clients/OC_TOMA/integrations')).items[0];
      const { token } = await admin('POST', '/clients/OC_TOMA/tokens', { integration: integration.id, scopes: ['violations-collections'] });
      const sent = await fetch(`${server.baseUrl}/api/OC_TOMA/v1/violations/send_overdue_to_collections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiToken: token }),
      });
      const body = (await sent.json()) as { batch_id: string; records: { Ticket: string }[] };
      batchId = body.batch_id;
      tickets = body.records.map((record) => record.Ticket);
      throughServer = await runCli(['admin', 'collections-batches', 'show', '--client', 'OC_TOMA', '--id', batchId, '--format', 'csv'], env);
    } finally {
      await server.stop();
    }
    expect(throughServer.stderr).toBe('');
    const lines = throughServer.stdout.split('\r\n');
    expect(lines[0]).toBe('violation_id,ticket,plate,issued,due,amount');
    expect(lines.slice(1, -1).map((line) => line.split(',')[1])).toEqual(tickets);
    expect(lines.at(-1)).toBe('');

    const onDatabase = await runCli(['admin', 'collections-batches', 'show', '--client', 'OC_TOMA', '--id', batchId, '--format', 'csv'], env);
    expect([onDatabase.code, onDatabase.stdout]).toEqual([0, throughServer.stdout]);
    const refused = await runCli(['admin', 'collections-batches', 'show', '--client', 'OC_TOMA', '--id', batchId, '--format', 'xml'], env);
    expect([refused.code, refused.stderr.trim()]).toEqual([1, 'error: format: must be json (default) or csv (field: format)']);
  });
}, 180_000);
