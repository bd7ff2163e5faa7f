import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../../src/db/database.js';
import { ADMIN_TOKEN, DATABASES } from '../helpers/app.js';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/scratch-database.js';
import { eventually, WebhookReceiver } from '../helpers/webhook-receiver.js';

const HOUR = 3_600_000;
const local = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);

/** Where a server keeps its data: a PGlite directory, or a scratch PostgreSQL database. */
async function storage(kind: DatabaseKind): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-webhooks-'));
    return { env: { DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const scratch: ScratchDatabase = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'pc_hooks');
  return { env: { DATABASE_URL: scratch.url }, drop: () => scratch.drop() };
}

const SERVER_ENV = { ADMIN_TOKEN, WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_SCHEDULE: '0,100ms,200ms,500ms', WEBHOOK_TIMEOUT_MS: '2000' };

async function call(server: RunningServer, method: string, url: string, body: unknown, token = ADMIN_TOKEN) {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** A client with a token and a webhook to the receiver, made through the server's admin API. */
async function subscribe(server: RunningServer, code: string, receiver: WebhookReceiver) {
  await call(server, 'POST', '/admin/v1/clients', { code, name: code });
  const integration = await call(server, 'POST', `/admin/v1/clients/${code}/integrations`, { name: 'Hooks', origin: 'temp' });
  const token = await call(server, 'POST', `/admin/v1/clients/${code}/tokens`, { integration: integration.id, scopes: 'all' });
  const hook = await call(server, 'POST', `/admin/v1/clients/${code}/webhooks`, { url: receiver.url });
  return { token: token.token as string, secret: hook.secret as string };
}

async function push(server: RunningServer, code: string, token: string, plate: string) {
  await call(server, 'POST', `/api/${code}/v1/permits/push`, { plate, startTime: local(-HOUR), endTime: local(HOUR) }, token);
}

/** The sequence numbers received, consecutive repeats (an attempt resent) counted once. */
function withoutResends(seqs: number[]): number[] {
  return seqs.filter((seq, index) => index === 0 || seqs[index - 1] !== seq);
}

describe.each(DATABASES)('webhook delivery across server processes on %s', (kind) => {
  let receiver: WebhookReceiver;
  let data: Awaited<ReturnType<typeof storage>>;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    data = await storage(kind);
  });
  afterAll(async () => {
    await Promise.all(servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null).map((server) => server.stop()));
    await receiver.close();
    await data.drop();
  });

  it('loses nothing and keeps the order when the server is killed mid-delivery and started again', async () => {
    const first = await startServer('serve', { ...data.env, ...SERVER_ENV });
    servers.push(first);
    const code = `KILL_${kind.toUpperCase()}`;
    const { token, secret } = await subscribe(first, code, receiver);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // the first attempt at the third event gets no answer: the process dies while it waits
    receiver.respond = (request) =>
      request.payload.seq === 3 && receiver.received.filter((item) => item.payload.seq === 3).length === 1 ? { status: 200, after: held } : { status: 200 };
    for (let index = 1; index <= 5; index++) await push(first, code, token, `KILL${index}`);
    await eventually(() => (receiver.received.some((item) => item.payload.seq === 3) ? true : undefined), 15_000, 'the third event');
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    release();

    const second = await startServer('serve', { ...data.env, ...SERVER_ENV });
    servers.push(second);
    for (let index = 6; index <= 8; index++) await push(second, code, token, `KILL${index}`);
    const seqs = await eventually(
      () => {
        const received = receiver.received.map((item) => item.payload.seq ?? 0);
        return new Set(received).size === 8 ? received : undefined;
      },
      30_000,
      'all eight events',
    );
    expect(withoutResends(seqs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seqs.filter((seq) => seq === 3).length).toBeGreaterThanOrEqual(2);
    for (const item of receiver.received) expect(new Webhook(secret).verify(item.body, WebhookReceiver.headers(item))).toEqual(item.payload);
    await second.stop();
  }, 90_000);
});

describe.runIf(DATABASES.includes('postgres'))('webhook delivery from two server processes on PostgreSQL', () => {
  let receiver: WebhookReceiver;
  let data: Awaited<ReturnType<typeof storage>>;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    data = await storage('postgres');
  });
  afterAll(async () => {
    await Promise.all(servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null).map((server) => server.stop()));
    await receiver.close();
    await data.drop();
  });

  it('delivers each event exactly once, in order, from two processes sharing the database', async () => {
    const pair = await Promise.all([startServer('serve', { ...data.env, ...SERVER_ENV }), startServer('serve', { ...data.env, ...SERVER_ENV })]);
    servers.push(...pair);
    const code = 'PAIR_POSTGRES';
    const { token } = await subscribe(pair[0], code, receiver);
    const count = 40;
    for (let index = 1; index <= count; index++) await push(pair[index % 2]!, code, token, `PAIR${index}`);
    await eventually(() => (receiver.received.length >= count ? true : undefined), 30_000, `${count} deliveries`);
    // time for a duplicate to arrive, if any were sent
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.map((item) => item.payload.seq)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    await Promise.all(pair.map((server) => server.stop()));
  }, 90_000);
});

describe('the webhook settings', () => {
  it('stop the start with one line naming the setting when a value is bad', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-webhook-settings-'));
    try {
      const cases: [string, string, string][] = [
        [
          'WEBHOOK_RETRY_SCHEDULE',
          '0,5x',
          'WEBHOOK_RETRY_SCHEDULE must be comma-separated waits such as 0,5s,5m,30m,2h: "5x" is not a wait such as 0, 500ms, 5s, 5m or 2h',
        ],
        ['WEBHOOK_TIMEOUT_MS', '0', 'WEBHOOK_TIMEOUT_MS must be a whole number of at least 1, got "0"'],
        ['WEBHOOK_ALLOW_LOOPBACK', 'yes', 'WEBHOOK_ALLOW_LOOPBACK must be true or false, got "yes"'],
      ];
      for (const [name, value, message] of cases) {
        const result = await runCli(['serve'], { ADMIN_TOKEN, DATA_DIR: dir, DATABASE_URL: undefined, PORT: '0', [name]: value });
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr.trim()).toBe(`error: ${message}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
