import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { signedInOperator } from '../helpers/sessions.js';

describe.each(DATABASES)('the audit and operator-action lists filtered in the admin API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const LOT_VALUES = '/api/:client/v1/permits/lot-values';
  const PLATE = '/api/:client/v1/plates/validate';
  const PUSH = '/api/:client/v1/permits/push';

  it('filters integration API calls by integration, endpoint, error code and time range, newest first and paged', async () => {
    const tenant = await t.tenant();
    const second = await t.admin('POST', `/clients/${tenant.code}/integrations`, { name: 'Second' });
    const secondToken = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: second.id, scopes: ['permit-create'] });
    const before = new Date().toISOString();
    // a call's time is its start, to the millisecond: the calls below start after `before`
    await sleep(5);
    await t.post(`/api/${tenant.code}/v1/permits/lot-values`, { apiToken: tenant.token });
    await t.post(`/api/${tenant.code}/v1/permits/lot-values`, { apiToken: tenant.token });
    // authenticated, then refused for what it sends
    const refused = await t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: secondToken.token });
    const refusedCode: number = refused.body.ErrorCode;
    expect(refusedCode).toBeGreaterThan(9000);
    const after = new Date(Date.now() + 1).toISOString();

    const all = (await get(`/clients/${tenant.code}/audit`)).json();
    expect(all.items.map((entry: { endpoint: string; error_code: number }) => [entry.endpoint, entry.error_code])).toEqual([
      [PUSH, refusedCode],
      [LOT_VALUES, 0],
      [LOT_VALUES, 0],
    ]);
    const bySecond = (await get(`/clients/${tenant.code}/audit?integration=${second.id}`)).json();
    expect(bySecond.items.map((entry: { error_code: number; token_id: number }) => [entry.error_code, entry.token_id])).toEqual([
      [refusedCode, secondToken.id],
    ]);
    const byCode = (await get(`/clients/${tenant.code}/audit?error_code=${refusedCode}`)).json();
    expect(byCode.items.map((entry: { id: number }) => entry.id)).toEqual([all.items[0].id]);
    const successes = (await get(`/clients/${tenant.code}/audit?error_code=0&endpoint=${encodeURIComponent(LOT_VALUES)}&limit=1`)).json();
    expect(successes.items).toHaveLength(1);
    expect(successes.items[0]).toMatchObject({ error_code: 0, integration_id: tenant.integrationId, http_status: 200 });
    const next = (
      await get(`/clients/${tenant.code}/audit?error_code=0&endpoint=${encodeURIComponent(LOT_VALUES)}&limit=1&cursor=${successes.next_cursor}`)
    ).json();
    expect(next.items.map((entry: { id: number }) => entry.id)).toEqual([all.items[2].id]);
    expect(next.next_cursor).toBeNull();
    expect((await get(`/clients/${tenant.code}/audit?endpoint=${encodeURIComponent(PLATE)}`)).json().items).toEqual([]);
    expect((await get(`/clients/${tenant.code}/audit?since=${encodeURIComponent(after)}`)).json().items).toEqual([]);
    expect((await get(`/clients/${tenant.code}/audit?until=${encodeURIComponent(before)}`)).json().items).toEqual([]);
    expect((await get(`/clients/${tenant.code}/audit?since=${encodeURIComponent(before)}&until=${encodeURIComponent(after)}`)).json().items).toHaveLength(3);
    // another client's calls are not there
    const other = await t.tenant();
    expect((await get(`/clients/${other.code}/audit?integration=${tenant.integrationId}`)).json().items).toEqual([]);
  });

  it('refuses hostile filter values with a sentence, and officers', async () => {
    const tenant = await t.tenant();
    for (const [query, field] of [
      ['integration=0', 'integration'],
      ['integration=abc', 'integration'],
      ['integration=2147483648', 'integration'],
      ['error_code=-1', 'error_code'],
      ['error_code=10000', 'error_code'],
      ['since=yesterday', 'since'],
      ['until=2026-13-01', 'until'],
      [`endpoint=${'x'.repeat(201)}`, 'endpoint'],
      ['endpoint=%00', 'endpoint'],
      ['cursor=0', 'cursor'],
    ] as const) {
      const response = await get(`/clients/${tenant.code}/audit?${query}`);
      expect([query, response.statusCode, response.json().field]).toEqual([query, 400, field]);
    }
    expect((await get(`/clients/${tenant.code}/audit?since=yesterday`)).json().error).toBe(
      'since: must be an ISO-8601 time with an offset, e.g. 2026-11-24T10:00:00Z',
    );
    const officer = await signedInOperator(t, 'officer', tenant.code);
    for (const url of ['/audit', '/audit?endpoint=x', '/integrations', '/tokens'])
      expect((await officer.call('GET', `/clients/${tenant.code}${url}`)).statusCode).toBe(403);
    expect((await officer.call('GET', '/operator-actions')).statusCode).toBe(403);
    const finance = await signedInOperator(t, 'finance', tenant.code);
    expect((await finance.call('GET', `/clients/${tenant.code}/audit?error_code=0`)).statusCode).toBe(200);
  });

  it('filters operator actions by resource and time range', async () => {
    const tenant = await t.tenant();
    // times are kept to the microsecond, JavaScript's to the millisecond: the setup's actions fall before `start`
    await sleep(5);
    const start = new Date().toISOString();
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Audited lot', lot_type: 'M' });
    await t.admin('POST', `/clients/${tenant.code}/tokens/${tenant.tokenId}/rotate`, { grace_seconds: 0 });
    const end = new Date(Date.now() + 1).toISOString();
    const recent = (await get(`/operator-actions?client=${tenant.code}&since=${encodeURIComponent(start)}&until=${encodeURIComponent(end)}`)).json();
    expect(recent.items.map((action: { resource: string; action: string }) => `${action.resource} ${action.action}`)).toEqual(['tokens rotate', 'lots create']);
    const lots = (await get(`/operator-actions?client=${tenant.code}&resource=lots`)).json();
    expect(lots.items.map((action: { params: unknown }) => action.params)).toEqual([{ code: tenant.code }]);
    expect((await get(`/operator-actions?client=${tenant.code}&until=${encodeURIComponent(start)}&resource=lots`)).json().items).toEqual([]);
    const refused = await get('/operator-actions?until=soon');
    expect([refused.statusCode, refused.json().field]).toEqual([400, 'until']);
  });
});
