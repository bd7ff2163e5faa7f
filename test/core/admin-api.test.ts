import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DATABASES)('admin API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('answers 401 without the admin token, or with a wrong one', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/admin/v1/clients' });
    expect([none.statusCode, none.json()]).toEqual([401, { error: 'a valid admin token is required' }]);
    const wrong = await t.app.inject({ method: 'GET', url: '/admin/v1/clients', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const apiToken = await t.tenant();
    const integrationToken = await t.app.inject({ method: 'GET', url: '/admin/v1/clients', headers: { authorization: `Bearer ${apiToken.token}` } });
    expect(integrationToken.statusCode).toBe(401);
  });

  it('creates a client with the OPSCOM login source and default settings', async () => {
    const client = await t.admin('POST', '/clients', { code: 'Uni-East', name: 'East University' });
    expect(client).toMatchObject({ code: 'Uni-East', timezone: 'America/Toronto', currency: 'CAD', input_time_zone: 'UTC' });
    const sources = await t.admin('GET', '/clients/UNI_EAST/login-sources');
    expect(sources.items.map((s: any) => s.name)).toEqual(['OPSCOM']);
  });

  it('refuses a duplicate client code (409), a bad code and a bad time zone (400)', async () => {
    await t.admin('POST', '/clients', { code: 'DUP_CODE' });
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const dup = await t.app.inject({ method: 'POST', url: '/admin/v1/clients', headers, payload: { code: 'dup-code' } });
    expect([dup.statusCode, dup.json().field]).toEqual([409, 'code']);
    const bad = await t.app.inject({ method: 'POST', url: '/admin/v1/clients', headers, payload: { code: 'has space' } });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'code']);
    const zone = await t.app.inject({ method: 'POST', url: '/admin/v1/clients', headers, payload: { code: 'ZONED', timezone: 'Mars/Olympus' } });
    expect([zone.statusCode, zone.json().field]).toEqual([400, 'timezone']);
    const missing = await t.app.inject({ method: 'POST', url: '/admin/v1/clients', headers, payload: {} });
    expect([missing.statusCode, missing.json().field]).toEqual([400, 'code']);
  });

  it('answers 404 for an unknown client', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/v1/clients/NOPE/lots', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect([response.statusCode, response.json().field]).toEqual([404, 'code']);
  });

  it('issues a token shown once, lists it by prefix, and revokes it', async () => {
    const tenant = await t.tenant({ scopes: ['permit-create', 'permit-stats'] });
    expect(tenant.token).toMatch(/^[A-Za-z0-9-]{40,}$/);
    const list = await t.admin('GET', `/clients/${tenant.code}/tokens`);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: tenant.tokenId, prefix: tenant.token.slice(0, 8), scopes: ['permit-create', 'permit-stats'], revoked_at: null });
    expect(list.items[0].token).toBeUndefined();
    const statsCall = () => t.post(`/api/${tenant.code}/v1/permits/stats`, { apiToken: tenant.token });
    expect((await statsCall()).status).toBe(200);
    const revoked = await t.admin('DELETE', `/clients/${tenant.code}/tokens/${tenant.tokenId}`);
    expect(revoked.revoked_at).not.toBeNull();
    // the token was looked up (and cached) a moment ago: the revocation must still hold at once
    expect((await statsCall()).body.ErrorCode).toBe(9034);
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const unknownScope = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/tokens`,
      headers,
      payload: { integration: tenant.integrationId, scopes: ['fly'] },
    });
    expect([unknownScope.statusCode, unknownScope.json().field]).toEqual([400, 'scopes']);
    const unknownIntegration = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/tokens`,
      headers,
      payload: { integration: 'nobody', scopes: 'all' },
    });
    expect(unknownIntegration.statusCode).toBe(404);
  });

  it('creates and lists lots, with a case-insensitive unique name, and pages lists', async () => {
    const tenant = await t.tenant();
    const lot = await t.admin('POST', `/clients/${tenant.code}/lots`, {
      name: 'Lot 4',
      lot_type: 'm',
      default_cost: '12.50',
      capacity: 40,
      tax_rate1: 5,
      tax_rate2: 8,
    });
    expect(lot).toMatchObject({ name: 'Lot 4', lot_type: 'M', default_cost: '12.50', capacity: 40, tax_rate1: '5.000', tax_rate2: '8.000' });
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const dup = await t.app.inject({ method: 'POST', url: `/admin/v1/clients/${tenant.code}/lots`, headers, payload: { name: 'LOT 4', lot_type: 'M' } });
    expect(dup.statusCode).toBe(409);
    const badType = await t.app.inject({ method: 'POST', url: `/admin/v1/clients/${tenant.code}/lots`, headers, payload: { name: 'X', lot_type: 'Q' } });
    expect([badType.statusCode, badType.json().field]).toEqual([400, 'lot_type']);
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot 5', lot_type: 'Y' });
    const first = await t.admin('GET', `/clients/${tenant.code}/lots?limit=1`);
    expect(first.items.map((l: any) => l.name)).toEqual(['Lot 4']);
    const second = await t.admin('GET', `/clients/${tenant.code}/lots?limit=1&cursor=${first.next_cursor}`);
    expect([second.items.map((l: any) => l.name), second.next_cursor]).toEqual([['Lot 5'], null]);
  });

  it('changes client settings with PATCH, validated', async () => {
    await t.admin('POST', '/clients', { code: 'PATCHED' });
    const updated = await t.admin('PATCH', '/clients/PATCHED', { input_time_zone: 'America/Vancouver', currency: 'usd' });
    expect(updated).toMatchObject({ input_time_zone: 'America/Vancouver', currency: 'USD' });
  });
});
