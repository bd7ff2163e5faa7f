import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { ADMIN_TOKEN, DATABASES, NO_RATE_LIMITS, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const wallClock = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);

/**
 * Two server processes on one PostgreSQL (PGlite belongs to one process): what one writes, the
 * other's validation answers within a second, from its own index — also when the other's
 * listening connection is cut and the notification of the write never reaches it.
 */
describe.each(DATABASES.filter((kind) => kind === 'postgres'))('the enforcement index across processes on %s', (kind) => {
  let t: TestApp;
  let otherDatabase: Database;
  let other: App;
  beforeAll(async () => {
    t = await startTestApp(kind);
    otherDatabase = await openDatabase({ kind: 'postgres', url: t.database.url! });
    other = await buildApp({ database: otherDatabase, adminToken: ADMIN_TOKEN, logLevel: 'silent', limits: NO_RATE_LIMITS });
  });
  afterAll(async () => {
    await other.close();
    await otherDatabase.close();
    await t.close();
  });

  const pushThere = async (tenant: Tenant, plate: string) => {
    const response = await other.inject({
      method: 'POST',
      url: `/api/${tenant.code}/v1/permits/push`,
      headers: { 'content-type': 'application/json' },
      payload: { apiToken: tenant.token, plate, startTime: wallClock(-HOUR), endTime: wallClock(HOUR), zone: 'Lot 6' },
    });
    expect(response.statusCode, response.body).toBe(200);
  };

  /** How long until this process's validation shows a permit for `plate` (polled every 20 ms, up to 3 s). */
  const msUntilSeen = async (tenant: Tenant, plate: string, since: number) => {
    for (;;) {
      const found = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate });
      if (found.body.data.responseJSON.permits?.length === 1) return Date.now() - since;
      if (Date.now() - since > 3_000) return Infinity;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('shows a permit pushed through another process within a second', async () => {
    const tenant = await t.tenant();
    expect((await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: 'THERE1' })).body.data.responseJSON).toEqual({});
    const pushed = Date.now();
    await pushThere(tenant, 'THERE1');
    expect(await msUntilSeen(tenant, 'THERE1', pushed)).toBeLessThan(1_000);
  });

  it('still shows it within a second when the listening connection is cut and the notification lost', async () => {
    const tenant = await t.tenant();
    // Both processes' listening connections are cut; they are opened again a second later, so
    // the notification of the push below reaches no one: the counters' look every 500 ms must.
    const cut = await sql<{ cut: boolean }>`
      select pg_terminate_backend(pid) as cut from pg_stat_activity
       where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`.execute(t.database.db);
    expect(cut.rows.length).toBeGreaterThanOrEqual(2);
    const pushed = Date.now();
    await pushThere(tenant, 'CUT1');
    expect(await msUntilSeen(tenant, 'CUT1', pushed)).toBeLessThan(1_000);
    // And once the connection is back, the next write is seen as fast.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const again = Date.now();
    await pushThere(tenant, 'CUT2');
    expect(await msUntilSeen(tenant, 'CUT2', again)).toBeLessThan(1_000);
  });

  it('follows alarms, DNTT entries and an integration origin changed through the other process', async () => {
    const tenant = await t.tenant();
    await pushThere(tenant, 'ORIGIN1');
    expect(await msUntilSeen(tenant, 'ORIGIN1', Date.now())).toBeLessThan(1_000);
    const adminThere = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) => {
      const response = await other.inject({
        method,
        url: `/admin/v1/clients/${tenant.code}${url}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload,
      });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const vehicle = await adminThere('POST', '/vehicles', { plate: 'ORIGIN1', plateTypeID: 4, provID: 9 });
    await adminThere('PUT', `/vehicles/${vehicle.id}/alert`, { text: 'Wanted to talk with.' });
    await adminThere('POST', '/dntt', { plate: 'ORIGIN1', start: new Date(Date.now() - HOUR).toISOString(), end: new Date(Date.now() + HOUR).toISOString() });
    await adminThere('PATCH', `/integrations/${tenant.integrationId}`, { origin: 'elsewhere' });
    const written = Date.now();
    for (;;) {
      const found = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: 'ORIGIN1' });
      const json = found.body.data.responseJSON;
      if (json.alarm === 'Wanted to talk with.' && json.active === '1' && json.permits?.[0]?.type === 'elsewhere') break;
      expect(Date.now() - written, JSON.stringify(json)).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});

describe.each(DATABASES)('the enforcement index at start on %s', (kind) => {
  it('is loaded before the app reports ready: a second app on the data answers its first validation from it', async () => {
    const t = await startTestApp(kind);
    try {
      const tenant = await t.tenant({ origin: 'hotspot' });
      const pushed = await t.post(`/api/${tenant.code}/v1/permits/push`, {
        apiToken: tenant.token,
        plate: 'LOADED1',
        startTime: wallClock(-HOUR),
        endTime: wallClock(HOUR),
        zone: 'Lot 6',
      });
      expect(pushed.status).toBe(200);
      await t.admin('POST', `/clients/${tenant.code}/dntt`, {
        plate: 'LOADED1',
        start: new Date(Date.now() - HOUR).toISOString(),
        end: new Date(Date.now() + HOUR).toISOString(),
      });
      const expected = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: 'LOADED1' });
      const second = await buildApp({ database: t.database, adminToken: ADMIN_TOKEN, logLevel: 'silent', limits: NO_RATE_LIMITS });
      try {
        await second.enforcement.whenLoaded();
        const ready = await second.inject({ method: 'GET', url: '/health/ready' });
        expect(ready.statusCode).toBe(200);
        const first = await second.inject({
          method: 'POST',
          url: '/api/v1/validate/plate',
          headers: { 'content-type': 'application/json' },
          payload: { api_token: tenant.token, client: tenant.code, plate: 'LOADED1' },
        });
        expect(first.json()).toStrictEqual(expected.body);
        expect(expected.body.data.responseJSON).toMatchObject({ permits: [{ type: 'hotspot', shortName: 'Lot 6' }], active: '1' });
      } finally {
        await second.close();
      }
    } finally {
      await t.close();
    }
  });
});
