import { spawn } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminCommand, localTarget } from '../../src/admin/cli.js';
import { adminOperations } from '../../src/admin/operations.js';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../src/webhooks/settings.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';
import { eventually, WebhookReceiver, type Received } from '../helpers/webhook-receiver.js';

const HOUR = 3_600_000;
const local = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);

/** Names the tests resolve themselves (no DNS here); anything else does not resolve. */
const names = new Map<string, string>();
const resolve = async (hostname: string): Promise<LookupAddress[]> => {
  const address = names.get(hostname);
  if (address === undefined) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

const FAST = { allowLoopback: true, retryScheduleMs: [0, 50, 100], timeoutMs: 2_000, sweepMs: 100, resolve } as const;

describe.each(DATABASES)('webhooks on %s', (kind) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp(kind, undefined, undefined, FAST);
  });
  afterAll(() => t.close());
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterAll(() => receiver.close());
  afterEach(() => {
    receiver.received.length = 0;
    receiver.respond = () => ({ status: 200 });
  });

  const push = async (tenant: Tenant, plate: string) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: tenant.token, plate, startTime: local(-HOUR), endTime: local(HOUR) });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.reference_id as string;
  };
  const adminCall = (method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, ...(payload ? { payload } : {}) });
  const createHook = async (tenant: Tenant, body: Record<string, unknown> = {}) =>
    (await t.admin('POST', `/clients/${tenant.code}/webhooks`, { url: receiver.url, ...body })) as { id: number; secret: string };
  const hooks = async (tenant: Tenant) => (await t.admin('GET', `/clients/${tenant.code}/webhooks`)).items as Record<string, unknown>[];
  const receivedOf = (tenant: Tenant) => receiver.received.filter((item) => item.id.startsWith(`evt_${tenant.clientId}_`));
  const verify = (secret: string, received: Received) => new Webhook(secret).verify(received.body, WebhookReceiver.headers(received));

  it('signs every event, sends them in order from the end of the log at creation, and only the subscribed types', async () => {
    const tenant = await t.tenant();
    await push(tenant, 'BEFORE1');
    const hook = await createHook(tenant, { event_types: ['permit.created', 'lot.created'], description: 'Billing' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(hook).toMatchObject({ enabled: true, cursor: '1', event_types: ['permit.created', 'lot.created'], description: 'Billing', pending_events: 0 });
    const reference = await push(tenant, 'HOOK1');
    await t.post(`/api/${tenant.code}/v1/permits/update`, { apiToken: tenant.token, referenceID: reference, plate: 'HOOK1B' });
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot W', lot_type: 'M' });
    await push(tenant, 'HOOK2');
    await push(tenant, 'HOOK3');

    const got = await eventually(() => (receivedOf(tenant).length >= 4 ? receivedOf(tenant) : undefined));
    expect(got.map((item) => [item.payload.seq, item.payload.type])).toEqual([
      [2, 'permit.created'],
      [4, 'lot.created'],
      [5, 'permit.created'],
      [6, 'permit.created'],
    ]);
    for (const item of got) {
      expect(verify(hook.secret, item)).toEqual(item.payload);
      expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, item)).toThrow();
      expect(item.id).toBe(`evt_${tenant.clientId}_${item.payload.seq}`);
      expect(item.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Object.keys(item.payload).sort()).toEqual(['data', 'seq', 'timestamp', 'type']);
    }
    expect(got[0]!.payload.data).toMatchObject({ kind: 'pushed', reference_id: reference, plate: 'HOOK1' });
    // the cursor passes the unsubscribed permit.updated without sending it
    const [listed] = await eventually(async () => {
      const items = await hooks(tenant);
      return items[0]?.delivered === 4 ? items : undefined;
    });
    expect(listed).toMatchObject({ cursor: '6', delivered: 4, failed: 0, pending_events: 0, failed_attempts: 0, next_attempt_at: null });
    expect(listed).not.toHaveProperty('secret');
    expect(JSON.stringify(await hooks(tenant))).not.toContain(hook.secret);
  });

  it('retries a failing receiver with the same webhook-id and records the attempts', async () => {
    const tenant = await t.tenant();
    const hook = await createHook(tenant);
    receiver.respond = (_request, index) => ({ status: index < 2 ? 500 : 200 });
    await push(tenant, 'RETRY1');
    await push(tenant, 'RETRY2');
    const got = await eventually(() => (receivedOf(tenant).length >= 4 ? receivedOf(tenant) : undefined));
    expect(got.map((item) => item.payload.seq)).toEqual([1, 1, 1, 2]);
    expect(new Set(got.slice(0, 3).map((item) => item.id))).toEqual(new Set([`evt_${tenant.clientId}_1`]));
    // the schedule: 0 ms after the first failure, 50 ms after the second
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(45);
    const deliveries = await eventually(async () => {
      const page = await t.admin('GET', `/clients/${tenant.code}/webhooks/${hook.id}/deliveries`);
      return page.items.length === 2 && page.items[0].status === 'succeeded' ? page.items : undefined;
    });
    expect(deliveries).toMatchObject([
      { kind: 'event', seq: 2, type: 'permit.created', status: 'succeeded', attempts: 1, last_status_code: 200, last_error: null, next_attempt_at: null },
      { kind: 'event', seq: 1, status: 'succeeded', attempts: 3, last_status_code: 200, message_id: `evt_${tenant.clientId}_1` },
    ]);
    expect(deliveries[0].latency_ms).toEqual(expect.any(Number));
  });

  it('honours Retry-After on 429 and 503 when it is longer than the schedule', async () => {
    const tenant = await t.tenant();
    await createHook(tenant);
    receiver.respond = (_request, index) =>
      index === 0
        ? { status: 503, headers: { 'retry-after': '1' } }
        : index === 1
          ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 1_500).toUTCString() } }
          : { status: 200 };
    await push(tenant, 'LATER1');
    const got = await eventually(() => (receivedOf(tenant).length >= 3 ? receivedOf(tenant) : undefined));
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(950);
    // an HTTP date is read to the second
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(400);
  });

  it('disables an endpoint that answers 410, shows why, and resumes at the undelivered event when enabled', async () => {
    const tenant = await t.tenant();
    const hook = await createHook(tenant);
    receiver.respond = () => ({ status: 410 });
    await push(tenant, 'GONE1');
    const [disabled] = await eventually(async () => {
      const items = await hooks(tenant);
      return items[0]?.enabled === false ? items : undefined;
    });
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'the receiver answered 410 Gone', cursor: '0', failed: 1 });
    expect(disabled!.disabled_at).toEqual(expect.any(String));
    await push(tenant, 'GONE2');
    await new Promise((done) => setTimeout(done, 300));
    expect(receivedOf(tenant).map((item) => item.payload.seq)).toEqual([1]);

    receiver.respond = () => ({ status: 204 });
    const enabled = await t.admin('PATCH', `/clients/${tenant.code}/webhooks/${hook.id}`, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    const got = await eventually(() => (receivedOf(tenant).length >= 3 ? receivedOf(tenant) : undefined));
    expect(got.map((item) => item.payload.seq)).toEqual([1, 1, 2]);
  });

  it('disables an endpoint once the schedule is exhausted; an operator can disable and enable it too', async () => {
    const tenant = await t.tenant();
    const hook = await createHook(tenant);
    receiver.respond = () => ({ status: 500 });
    await push(tenant, 'FAIL1');
    const [disabled] = await eventually(async () => {
      const items = await hooks(tenant);
      return items[0]?.enabled === false ? items : undefined;
    });
    // the first attempt and the schedule's three retries
    expect(receivedOf(tenant)).toHaveLength(4);
    expect(disabled).toMatchObject({ enabled: false, failed_attempts: 4, failed: 1, delivered: 0, next_attempt_at: null });
    expect(disabled!.disabled_reason).toBe('event 1 failed 4 attempts in a row (the last: HTTP 500)');
    const deliveries = await t.admin('GET', `/clients/${tenant.code}/webhooks/${hook.id}/deliveries`);
    expect(deliveries.items).toMatchObject([{ seq: 1, status: 'failed', attempts: 4, last_status_code: 500, last_error: 'HTTP 500' }]);

    receiver.respond = () => ({ status: 200 });
    await t.admin('PATCH', `/clients/${tenant.code}/webhooks/${hook.id}`, { enabled: true });
    await eventually(() => (receivedOf(tenant).length === 5 ? true : undefined));
    const paused = await t.admin('PATCH', `/clients/${tenant.code}/webhooks/${hook.id}`, { enabled: false });
    expect(paused).toMatchObject({ enabled: false, disabled_reason: 'disabled by an operator' });
    await push(tenant, 'FAIL2');
    await new Promise((done) => setTimeout(done, 300));
    expect(receivedOf(tenant)).toHaveLength(5);
    expect((await hooks(tenant))[0]).toMatchObject({ pending_events: 1, cursor: '1' });
    await t.admin('PATCH', `/clients/${tenant.code}/webhooks/${hook.id}`, { enabled: true });
    await eventually(() => (receivedOf(tenant).length === 6 ? true : undefined));
    expect(receivedOf(tenant).map((item) => item.payload.seq)).toEqual([1, 1, 1, 1, 1, 2]);
  });

  it('signs with the new secret after a rotation, and with the old one beside it for the grace period; never shows or logs a secret', async () => {
    const tenant = await t.tenant();
    const hook = await createHook(tenant);
    const rotated = await t.admin('POST', `/clients/${tenant.code}/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previous_secret_until) - Date.now()).toBeGreaterThan(23.9 * HOUR);
    await push(tenant, 'ROTATE1');
    const [got] = await eventually(() => (receivedOf(tenant).length >= 1 ? receivedOf(tenant) : undefined));
    expect(got!.signature.split(' ')).toHaveLength(2);
    expect(verify(rotated.secret, got!)).toEqual(got!.payload);
    expect(verify(hook.secret, got!)).toEqual(got!.payload);

    const listed = await hooks(tenant);
    expect(listed[0]!.previous_secret_until).toBe(rotated.previous_secret_until);
    const shown = JSON.stringify([listed, await t.admin('PATCH', `/clients/${tenant.code}/webhooks/${hook.id}`, { description: 'x' })]);
    const logs = t.logs.lines.join('');
    for (const secret of [hook.secret, rotated.secret]) {
      expect(shown).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(secret.slice(6));
    }
  });

  it('lists deliveries in pages, redelivers one with its webhook-id, and sends a test event', async () => {
    const tenant = await t.tenant();
    const hook = await createHook(tenant);
    for (const plate of ['PAGE1', 'PAGE2', 'PAGE3']) await push(tenant, plate);
    await eventually(() => (receivedOf(tenant).length >= 3 ? true : undefined));
    const base = `/clients/${tenant.code}/webhooks/${hook.id}/deliveries`;
    // the receiver has the third event before the worker has recorded its answer: wait for both
    const first = await eventually(async () => {
      const page = await t.admin('GET', `${base}?limit=2`);
      const recorded = page.items[0]?.seq === 3 && page.items.every((item: { status: string }) => item.status === 'succeeded');
      return recorded ? page : undefined;
    });
    expect(first.items.map((item: { seq: number }) => item.seq)).toEqual([3, 2]);
    const second = await t.admin('GET', `${base}?limit=2&cursor=${first.next_cursor}`);
    expect(second).toMatchObject({ items: [{ seq: 1 }], next_cursor: null });

    const again = await t.admin('POST', `${base}/${second.items[0].id}/redeliver`);
    expect(again).toMatchObject({
      kind: 'redelivery',
      seq: 1,
      status: 'succeeded',
      attempts: 1,
      last_status_code: 200,
      message_id: `evt_${tenant.clientId}_1`,
    });
    const redelivered = receivedOf(tenant).at(-1)!;
    expect(redelivered.payload.seq).toBe(1);
    expect(verify(hook.secret, redelivered)).toMatchObject({ type: 'permit.created', seq: 1 });

    const test = await t.admin('POST', `/clients/${tenant.code}/webhooks/${hook.id}/test`);
    expect(test).toMatchObject({ kind: 'test', type: 'webhook.test', seq: null, status: 'succeeded', last_status_code: 200 });
    const testEvent = receiver.received.find((item) => item.id === test.message_id)!;
    expect(verify(hook.secret, testEvent)).toMatchObject({ type: 'webhook.test', data: { webhook_id: hook.id } });

    receiver.respond = () => ({ status: 500 });
    const failedTest = await t.admin('POST', `/clients/${tenant.code}/webhooks/${hook.id}/test`);
    expect(failedTest).toMatchObject({ status: 'failed', last_status_code: 500, last_error: 'HTTP 500' });
    const retest = await t.admin('POST', `${base}/${failedTest.id}/redeliver`);
    expect(retest).toMatchObject({ kind: 'redelivery', type: 'webhook.test', message_id: failedTest.message_id, status: 'failed' });

    const missing = await adminCall('POST', `${base}/999999/redeliver`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: `delivery 999999 of webhook ${hook.id} not found`, field: 'delivery' });
    const other = await t.tenant();
    expect((await adminCall('GET', `/clients/${other.code}/webhooks/${hook.id}/deliveries`)).statusCode).toBe(404);
    expect((await adminCall('POST', `/clients/${other.code}/webhooks/${hook.id}/test`)).statusCode).toBe(404);
    const deleted = await adminCall('DELETE', `/clients/${tenant.code}/webhooks/${hook.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(await hooks(tenant)).toEqual([]);
    expect((await adminCall('DELETE', `/clients/${tenant.code}/webhooks/${hook.id}`)).statusCode).toBe(404);
  });

  it("runs the documentation's receiver: it verifies what the server sends and refuses what it did not sign", async () => {
    const docs = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
    const code = /## Verifying: a receiver in ten lines[\s\S]*?```js\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(code).toContain('webhook.verify(body, request.headers)');
    const port = await new Promise<number>((done) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => done(free));
      });
    });
    const tenant = await t.tenant();
    const hook = await createHook(tenant, { url: `http://127.0.0.1:${port}/` });
    const child = spawn(process.execPath, ['--input-type=module', '-e', code!], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, WEBHOOK_SECRET: hook.secret, PORT: String(port) },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await eventually(async () => {
        try {
          await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
          return true;
        } catch {
          return undefined;
        }
      });
      const forged = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        body: '{"type":"permit.created"}',
        headers: { 'webhook-id': 'evt_1_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      });
      expect(forged.status).toBe(400);
      await push(tenant, 'DOCS1');
      await eventually(() => (/^1 permit\.created \{.*"plate":"DOCS1"/m.test(output) ? true : undefined), 10_000, `the receiver's line (got: ${output})`);
      // recorded once the answer is in
      const delivery = await eventually(async () => (await t.admin('GET', `/clients/${tenant.code}/webhooks/${hook.id}/deliveries`)).items[0]);
      expect(delivery).toMatchObject({ seq: 1, status: 'succeeded', last_status_code: 204 });
    } finally {
      child.kill();
    }
  });

  it('is managed from the command line too, the URL given as --webhook-url', async () => {
    const tenant = await t.tenant();
    const cli = async (...args: string[]) => {
      const command = adminCommand(adminOperations, async () =>
        localTarget(async () => ({
          db: t.database.db,
          auth: t.app.auth,
          audit: t.app.audit,
          webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, ...FAST },
          close: async () => {},
        })),
      );
      const printed: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        printed.push(String(chunk));
        return true;
      });
      try {
        await command.parseAsync(args, { from: 'user' });
      } finally {
        spy.mockRestore();
      }
      return JSON.parse(printed.join(''));
    };
    const created = await cli(
      'webhooks',
      'create',
      '--client',
      tenant.code,
      '--webhook-url',
      receiver.url,
      '--event-types',
      'permit.created,lot.created',
      '--json',
    );
    expect(created).toMatchObject({ url: receiver.url, event_types: ['permit.created', 'lot.created'], secret: expect.stringMatching(/^whsec_/) });
    const listed = await cli('webhooks', 'list', '--client', tenant.code, '--json');
    expect(listed.items).toMatchObject([{ id: created.id, enabled: true }]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const changed = await cli(
      'webhooks',
      'update',
      '--client',
      tenant.code,
      '--id',
      String(created.id),
      '--event-types',
      'all',
      '--enabled',
      'false',
      '--json',
    );
    expect(changed).toMatchObject({ event_types: 'all', enabled: false, disabled_reason: 'disabled by an operator' });
  });

  it('refuses unknown and unsubscribable event types', async () => {
    const tenant = await t.tenant();
    const refused = async (body: object) => {
      const response = await adminCall('POST', `/clients/${tenant.code}/webhooks`, { url: receiver.url, ...body });
      expect(response.statusCode).toBe(400);
      return response.json();
    };
    expect(await refused({ event_types: ['permit.created', 'permit.exploded'] })).toEqual({
      error: expect.stringMatching(/^event_types: permit.exploded is not an event type; the types are permit.created, /),
      field: 'event_types',
    });
    expect((await refused({ event_types: ['webhook.test'] })).error).toBe(
      'event_types: webhook.test is sent by the test operation only and cannot be subscribed to',
    );
    expect((await refused({ event_types: [] })).error).toBe('event_types must name at least one event type, or be "all"');
  });

  it('refuses a URL that becomes private at delivery time (the name is resolved again)', async () => {
    const tenant = await t.tenant();
    names.set(`hooks-${kind}.example`, '127.0.0.1');
    const port = new URL(receiver.url).port;
    const hook = await createHook(tenant, { url: `http://hooks-${kind}.example:${port}/hook` });
    await push(tenant, 'DNS1');
    const [got] = await eventually(() => (receivedOf(tenant).length >= 1 ? receivedOf(tenant) : undefined));
    expect(got!.payload.seq).toBe(1);
    names.set(`hooks-${kind}.example`, '10.20.30.40');
    await push(tenant, 'DNS2');
    const deliveries = await eventually(async () => {
      const page = await t.admin('GET', `/clients/${tenant.code}/webhooks/${hook.id}/deliveries`);
      return page.items[0]?.seq === 2 ? page.items : undefined;
    });
    expect(deliveries[0].last_error).toBe(
      `refused: url names hooks-${kind}.example, which resolves to 10.20.30.40, a private address: webhooks go to public addresses only`,
    );
    expect(deliveries[0].last_status_code).toBeNull();
    expect(receivedOf(tenant)).toHaveLength(1);
  });
});

describe.each(DATABASES)('webhook destinations refused on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  let hookId: number;
  beforeAll(async () => {
    names.set('intranet.example', '10.1.2.3');
    names.set('public.example', '93.184.216.34');
    names.set('mixed.example', '93.184.216.34');
    t = await startTestApp(kind, undefined, undefined, {
      resolve: async (hostname) =>
        hostname === 'mixed.example'
          ? [
              { address: '93.184.216.34', family: 4 },
              { address: '192.168.1.9', family: 4 },
            ]
          : resolve(hostname),
    });
    tenant = await t.tenant();
    hookId = (await t.admin('POST', `/clients/${tenant.code}/webhooks`, { url: 'https://public.example/hooks' })).id;
  });
  afterAll(() => t.close());

  const cases: [string, string][] = [
    ['ftp://public.example/x', 'url must use http or https, not ftp'],
    ['file:///etc/passwd', 'url must use http or https, not file'],
    ['javascript:alert(1)', 'url must use http or https, not javascript'],
    ['not a url', 'url must be an absolute http or https URL, e.g. https://hooks.example.org/parking (got "not a url")'],
    ['https://user:pw@public.example/', 'url must not carry a user name or password (the signature authenticates the server)'],
    ['http://127.0.0.1:8080/', 'url names 127.0.0.1, a loopback address (allowed only with WEBHOOK_ALLOW_LOOPBACK=true): webhooks go to public addresses only'],
    ['http://[::1]/', 'url names ::1, a loopback address (allowed only with WEBHOOK_ALLOW_LOOPBACK=true): webhooks go to public addresses only'],
    ['http://localhost:3000/', 'url names localhost, a loopback host: allowed only with WEBHOOK_ALLOW_LOOPBACK=true'],
    ['http://2130706433/', 'url names 127.0.0.1, a loopback address (allowed only with WEBHOOK_ALLOW_LOOPBACK=true): webhooks go to public addresses only'],
    ['http://169.254.169.254/latest/meta-data', 'url names 169.254.169.254, a cloud metadata address: webhooks go to public addresses only'],
    ['http://[fd00:ec2::254]/', 'url names fd00:ec2::254, a cloud metadata address: webhooks go to public addresses only'],
    ['http://metadata.google.internal/', 'url names metadata.google.internal, a cloud metadata service: webhooks are never sent there'],
    ['http://169.254.10.1/', 'url names 169.254.10.1, a link-local address: webhooks go to public addresses only'],
    ['http://[fe80::1]/', 'url names fe80::1, a link-local address: webhooks go to public addresses only'],
    ['http://10.0.0.1/', 'url names 10.0.0.1, a private address: webhooks go to public addresses only'],
    ['http://172.20.0.1/', 'url names 172.20.0.1, a private address: webhooks go to public addresses only'],
    ['http://192.168.0.10/', 'url names 192.168.0.10, a private address: webhooks go to public addresses only'],
    ['http://[fd12:3456::1]/', 'url names fd12:3456::1, a private address: webhooks go to public addresses only'],
    ['http://100.64.0.1/', 'url names 100.64.0.1, a private address: webhooks go to public addresses only'],
    ['http://[::ffff:10.0.0.1]/', 'url names ::ffff:a00:1, a private address: webhooks go to public addresses only'],
    ['http://0.0.0.0/', 'url names 0.0.0.0, an unspecified address: webhooks go to public addresses only'],
    ['http://[::]/', 'url names ::, an unspecified address: webhooks go to public addresses only'],
    ['http://224.0.0.1/', 'url names 224.0.0.1, a multicast or broadcast address: webhooks go to public addresses only'],
    ['http://[ff02::1]/', 'url names ff02::1, a multicast or broadcast address: webhooks go to public addresses only'],
    ['https://intranet.example/hook', 'url names intranet.example, which resolves to 10.1.2.3, a private address: webhooks go to public addresses only'],
    ['https://mixed.example/hook', 'url names mixed.example, which resolves to 192.168.1.9, a private address: webhooks go to public addresses only'],
    ['https://nowhere.example/hook', 'url names nowhere.example, which does not resolve'],
  ];

  it.each(cases)('refuses %s at creation and at a change', async (url, message) => {
    for (const [method, path] of [
      ['POST', `/clients/${tenant.code}/webhooks`],
      ['PATCH', `/clients/${tenant.code}/webhooks/${hookId}`],
    ] as const) {
      const response = await t.app.inject({ method, url: `/admin/v1${path}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { url } });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: message, field: 'url' });
    }
  });

  it('keeps the endpoint as it was after a refused change, and only admins manage webhooks', async () => {
    const [hook] = (await t.admin('GET', `/clients/${tenant.code}/webhooks`)).items;
    expect(hook.url).toBe('https://public.example/hooks');
    const password = 'a long enough password';
    for (const role of ['officer', 'finance'] as const) {
      const username = `${role}-${kind}`;
      await t.admin('POST', '/operators', { username, display_name: role, role, client: tenant.code, password });
      const signIn = await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username, password } });
      const cookie = signIn.cookies.find((item) => item.name === 'pc_session')!;
      const headers = { cookie: `pc_session=${cookie.value}`, 'x-csrf-token': signIn.json().csrf_token };
      const list = await t.app.inject({ method: 'GET', url: `/admin/v1/clients/${tenant.code}/webhooks`, headers });
      expect(list.statusCode, list.body).toBe(403);
      const create = await t.app.inject({
        method: 'POST',
        url: `/admin/v1/clients/${tenant.code}/webhooks`,
        headers,
        payload: { url: 'https://public.example/x' },
      });
      expect(create.statusCode, create.body).toBe(403);
    }
  });
});
