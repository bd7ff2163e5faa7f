import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { ADMIN_TOKEN, DATABASES, LogCapture, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DATABASES)('health endpoints on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('answers liveness and readiness with JSON', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/health' });
    expect([live.statusCode, live.headers['content-type'], live.json()]).toEqual([200, 'application/json; charset=utf-8', { status: 'ok' }]);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('accepts a JSON content type with no body, or any body, as probes send them', async () => {
    for (const url of ['/health', '/health/ready']) {
      const empty = await t.app.inject({ method: 'GET', url, headers: { 'content-type': 'application/json' } });
      expect([url, empty.statusCode]).toEqual([url, 200]);
      const emptyWithLength = await t.app.inject({ method: 'GET', url, headers: { 'content-type': 'application/json', 'content-length': '0' }, payload: '' });
      expect([url, emptyWithLength.statusCode]).toEqual([url, 200]);
      const notJson = await t.app.inject({ method: 'GET', url, headers: { 'content-type': 'application/json' }, payload: 'not json' });
      expect([url, notJson.statusCode]).toEqual([url, 200]);
      const text = await t.app.inject({ method: 'GET', url, headers: { 'content-type': 'text/plain' }, payload: 'ping' });
      expect([url, text.statusCode]).toEqual([url, 200]);
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'content-type': 'application/json' },
      payload: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(response.statusCode).toBe(413);
  });

  it('answers HEAD with the status and no body', async () => {
    for (const url of ['/health', '/health/ready']) {
      const response = await t.app.inject({ method: 'HEAD', url });
      expect([url, response.statusCode, response.body]).toEqual([url, 200, '']);
    }
  });

  it('is listed in the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready']));
  });
});

/** Makes the test app's database go away: PGlite is closed, the PostgreSQL database dropped under its open pool. */
async function loseDatabase(t: TestApp): Promise<void> {
  const url = t.database.url;
  if (url === undefined) return t.database.close();
  const name = new URL(url).pathname.slice(1);
  const server = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await server.connect();
  try {
    await server.query(`drop database ${name} with (force)`);
  } finally {
    await server.end();
  }
}

describe.each(DATABASES)('readiness without a database on %s', (kind) => {
  it('answers 503 unavailable once the database is gone, while liveness stays 200', async () => {
    const t = await startTestApp(kind);
    try {
      await loseDatabase(t);
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect([ready.statusCode, ready.json()]).toEqual([503, { status: 'unavailable', reason: 'the database query failed' }]);
      const head = await t.app.inject({ method: 'HEAD', url: '/health/ready' });
      expect(head.statusCode).toBe(503);
      const live = await t.app.inject({ method: 'GET', url: '/health' });
      expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }]);
      expect(t.logs.lines.some((line) => line.includes('not ready: the database query failed'))).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('readiness against a database server that never answers', () => {
  // A TCP server that accepts connections and stays silent: the PostgreSQL handshake never ends.
  const silent = net.createServer(() => {});
  const sockets = new Set<net.Socket>();
  let connectionsAfterClose = 0;
  let closed = false;
  silent.on('connection', (socket) => {
    if (closed) {
      connectionsAfterClose++;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  beforeAll(() => new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('answers 503 after the readiness timeout instead of waiting for the connection', async () => {
    const address = silent.address() as net.AddressInfo;
    const database = await openDatabase({ kind: 'postgres', url: `postgres://nobody@127.0.0.1:${address.port}/nothing` });
    const app = await buildApp({ database, adminToken: ADMIN_TOKEN, logLevel: 'warn', logStream: new LogCapture() });
    try {
      const started = performance.now();
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      const elapsed = performance.now() - started;
      expect([ready.statusCode, ready.json()]).toEqual([503, { status: 'unavailable', reason: 'the database did not answer within 2000 ms' }]);
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      expect(elapsed).toBeLessThan(5_000);
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      // Ending the silent connections fails the pending connection attempt, so the pool can end.
      for (const socket of sockets) socket.destroy();
      await app.close();
      await database.close();
      closed = true;
      for (const socket of sockets) socket.destroy();
    }
    // Nothing of the closed app or database keeps trying to connect.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(connectionsAfterClose).toBe(0);
  });
});
