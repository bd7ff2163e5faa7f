import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

/** Opens a raw connection to the app's port; resolves once connected. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sent until it closed the connection, and how long that took. */
function untilClosed(socket: net.Socket, limitMs: number): Promise<{ data: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${limitMs} ms`));
    }, limitMs);
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ data, ms: Date.now() - started });
    });
  });
}

describe.each(DATABASES)('request limits on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { perTokenPerMinute: 5, authFailuresPerMinute: 3 });
  });
  afterAll(() => t.close());

  const stats = (code: string, token: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: `/api/${code}/v1/permits/stats`,
      remoteAddress,
      headers: { 'content-type': 'application/json' },
      payload: { apiToken: token },
    });

  it("answers a token over its minute's allowance with 429, 9040 and Retry-After in the endpoint's envelope; other tokens go on", async () => {
    const tenant = await t.tenant({ scopes: 'all' });
    for (let i = 0; i < 5; i++) expect((await stats(tenant.code, tenant.token)).statusCode).toBe(200);
    const refused = await stats(tenant.code, tenant.token);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ ErrorCode: 9040, ErrorMessage: 'Too many requests: retry after the number of seconds in the Retry-After header.' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const plate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/validate/plate',
      payload: { client: tenant.code, apiToken: tenant.token, plate: 'ABC123' },
    });
    expect([plate.statusCode, plate.json().error, plate.json().data]).toEqual([429, 9040, null]);

    const sibling = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: tenant.integrationId, scopes: 'all' });
    expect((await stats(tenant.code, sibling.token)).statusCode).toBe(200);
  });

  it("honours an integration's own limit, and 0 as unlimited", async () => {
    const tenant = await t.tenant();
    const updated = await t.admin('PATCH', `/clients/${tenant.code}/integrations/${tenant.integrationId}`, { rate_limit_per_minute: 2 });
    expect(updated.rate_limit_per_minute).toBe(2);
    expect((await stats(tenant.code, tenant.token)).statusCode).toBe(200);
    expect((await stats(tenant.code, tenant.token)).statusCode).toBe(200);
    expect((await stats(tenant.code, tenant.token)).statusCode).toBe(429);

    const unlimited = await t.tenant();
    await t.admin('PATCH', `/clients/${unlimited.code}/integrations/${unlimited.integrationId}`, { rate_limit_per_minute: 0 });
    for (let i = 0; i < 12; i++) expect((await stats(unlimited.code, unlimited.token)).statusCode).toBe(200);
  });

  it('refuses an address after three wrong API tokens in a minute, even with a right one; other addresses go on', async () => {
    const tenant = await t.tenant();
    const guesser = '10.0.0.7';
    for (let i = 0; i < 3; i++) expect((await stats(tenant.code, `pc-wrong-${i}`, guesser)).json().ErrorCode).toBe(9034);
    const blocked = await stats(tenant.code, tenant.token, guesser);
    expect([blocked.statusCode, blocked.json().ErrorCode]).toEqual([429, 9040]);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await stats(tenant.code, tenant.token, '10.0.0.8')).statusCode).toBe(200);
  });

  it('refuses an address after three wrong admin tokens in a minute, even with the right one', async () => {
    const admin = (token: string, remoteAddress: string) =>
      t.app.inject({ method: 'GET', url: '/admin/v1/clients', remoteAddress, headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await admin(`wrong-admin-token-${i}`, '10.0.1.7')).statusCode).toBe(401);
    const blocked = await admin(ADMIN_TOKEN, '10.0.1.7');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatch(/^too many failed sign-ins from this address: retry in \d+ s$/);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    expect((await admin(ADMIN_TOKEN, '10.0.1.8')).statusCode).toBe(200);
  });

  it('writes one info line per call with method, route pattern, status, latency and client, and no token or plate', async () => {
    const tenant = await t.tenant();
    const response = await t.app.inject({ method: 'POST', url: `/api/${tenant.code}/v1/validate/plate/SECRETPLATE9`, payload: { apiToken: tenant.token } });
    const lines = t.logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.reqId === response.headers['x-request-id'] && line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/:client/v1/validate/plate/:plate',
      status: 200,
      client: tenant.code,
      ms: expect.any(Number),
    });
    const all = t.logs.lines.join('\n');
    expect(all).not.toContain(tenant.token);
    expect(all).not.toContain('SECRETPLATE9');
  });
});

describe.each(DATABASES)('connection guards on %s', (kind) => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      requestTimeoutMs: 1_000,
      headersTimeoutMs: 1_000,
      idleTimeoutMs: 1_500,
      maxConnections: 4,
      perTokenPerMinute: 0,
      authFailuresPerMinute: 0,
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(() => t.close());

  it('answers a body that trickles in slower than the request timeout with 408 and closes the connection', async () => {
    const socket = await connect(port);
    const closed = untilClosed(socket, 10_000);
    socket.write('POST /api/X/v1/permits/stats HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    const trickle = setInterval(() => socket.writable && socket.write(' '), 300);
    const { data, ms } = await closed.finally(() => clearInterval(trickle));
    expect(data).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(5_000);
  });

  it('closes a connection that never sends a byte', async () => {
    const socket = await connect(port);
    const { data, ms } = await untilClosed(socket, 10_000);
    // Node may say why (408) before closing; either way the connection is gone.
    expect(data === '' || data.startsWith('HTTP/1.1 408')).toBe(true);
    expect(ms).toBeLessThan(6_000);
  });

  it('refuses connections beyond the cap, and serves again once they are gone', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => connect(port)));
    const extra = await connect(port).catch(() => null);
    if (extra !== null) {
      const { data } = await untilClosed(extra, 5_000);
      expect(data).toBe('');
    }
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });
});

describe.runIf(DATABASES.includes('postgres'))('database pool on postgres', () => {
  it("logs an idle connection's loss as a warning instead of swallowing it, and serves on", async () => {
    const t = await startTestApp('postgres');
    try {
      const tenant = await t.tenant();
      const url = (t.database as { url?: string }).url!;
      const killer = new pg.Client({ connectionString: url });
      await killer.connect();
      try {
        const database = new URL(url).pathname.slice(1);
        await killer.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
      } finally {
        await killer.end();
      }
      const deadline = Date.now() + 5_000;
      const warned = () => t.logs.lines.some((line) => line.includes('"msg":"database connection error"') && line.includes('"level":40'));
      while (!warned() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warned()).toBe(true);
      const after = await t.post(`/api/${tenant.code}/v1/permits/stats`, { apiToken: tenant.token });
      expect(after.status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
