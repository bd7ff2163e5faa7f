import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DATABASES, startTestApp, type TestApp, type Tenant } from '../helpers/app.js';
import { authCases } from '../helpers/auth-cases.js';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';

describe.each(DATABASES)('integration API core on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    await t.admin('POST', `/clients/${tenant.code}/user-types`, { id: 1, type_name: 'Full Time Student', ext_info: 'Student' });
    await t.admin('POST', `/clients/${tenant.code}/user-types`, { id: 6, type_name: 'Demo', ext_info: 'Public' });
  });
  afterAll(() => t.close());

  const typesUrl = (code: string) => `/api/${code}/v1/profiles/types/list`;

  authCases(() => t, { url: typesUrl, scope: 'profile-types' });

  it('lists user types with string ids, ordered by id', async () => {
    const response = await t.post(typesUrl(tenant.code), { apiToken: tenant.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'success',
      user_types: [
        { id: '1', type_name: 'Full Time Student', ext_info: 'Student' },
        { id: '6', type_name: 'Demo', ext_info: 'Public' },
      ],
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('matches client codes case-insensitively with - and _ alike', async () => {
    const variant = tenant.code.toLowerCase().replaceAll('_', '-');
    const response = await t.post(typesUrl(variant), { apiToken: tenant.token });
    expect(response.status).toBe(200);
  });

  it('reads the token from api_token and from Authorization: Bearer', async () => {
    expect((await t.post(typesUrl(tenant.code), { api_token: tenant.token })).status).toBe(200);
    const bearer = await t.app.inject({ method: 'POST', url: typesUrl(tenant.code), headers: { authorization: `Bearer ${tenant.token}` } });
    expect(bearer.statusCode).toBe(200);
  });

  it('lets the first listed name win when both token spellings are given', async () => {
    const apiTokenWins = await t.post(typesUrl(tenant.code), { api_token: 'pc-wrongwrongwrongwrongwrongwrongwrongwrongwrong', apiToken: tenant.token });
    expect(apiTokenWins.status).toBe(200);
    const wrongFirst = await t.post(typesUrl(tenant.code), { apiToken: 'pc-wrongwrongwrongwrongwrongwrongwrongwrongwrong', api_token: tenant.token });
    expect(wrongFirst.body.ErrorCode).toBe(9034);
  });

  it('matches attribute names case-insensitively', async () => {
    expect((await t.post(typesUrl(tenant.code), { APITOKEN: tenant.token })).status).toBe(200);
  });

  it('answers 9000 when the client code is missing', async () => {
    const response = await t.post('/api/%20/v1/profiles/types/list', { apiToken: tenant.token });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ ErrorCode: 9000, ErrorMessage: 'Client Code is missing from the request.' });
  });

  it('answers 9003 for bad JSON, a non-object body and a wrong content type', async () => {
    const expected = { ErrorCode: 9003, ErrorMessage: 'Could not parse the request.' };
    const bad = await t.post(typesUrl(tenant.code), '{"apiToken": ');
    expect([bad.status, bad.body]).toEqual([400, expected]);
    const array = await t.post(typesUrl(tenant.code), [{ apiToken: tenant.token }]);
    expect([array.status, array.body]).toEqual([400, expected]);
    const scalar = await t.post(typesUrl(tenant.code), '"text"');
    expect(scalar.body).toEqual(expected);
    const text = await t.app.inject({
      method: 'POST',
      url: typesUrl(tenant.code),
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ apiToken: tenant.token }),
    });
    expect([text.statusCode, text.json()]).toEqual([400, expected]);
    const form = await t.app.inject({
      method: 'POST',
      url: typesUrl(tenant.code),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `apiToken=${tenant.token}`,
    });
    expect(form.json()).toEqual(expected);
  });

  it("accepts the seed's own raw example with its trailing comma", async () => {
    const response = await t.post(typesUrl(tenant.code), `{ "apiToken": "${tenant.token}",}`);
    expect(response.status).toBe(200);
  });

  it('refuses a body over 1 MiB with 413 and keeps serving', async () => {
    const big = JSON.stringify({ apiToken: tenant.token, padding: 'x'.repeat(1024 * 1024) });
    const response = await t.post(typesUrl(tenant.code), big);
    expect(response.status).toBe(413);
    expect(response.body.ErrorCode).toBe(9003);
    expect((await t.post(typesUrl(tenant.code), { apiToken: tenant.token })).status).toBe(200);
  });

  it('writes an audit row per call, with the error code and no raw token', async () => {
    const fresh = await t.tenant();
    await t.post(typesUrl(fresh.code), { apiToken: fresh.token });
    await t.post(typesUrl(fresh.code), {});
    const audit = await t.admin('GET', `/clients/${fresh.code}/audit`);
    expect(audit.items.map((row: any) => row.error_code)).toEqual([0]);
    const [row] = audit.items;
    expect(row).toMatchObject({ endpoint: '/api/:client/v1/profiles/types/list', method: 'POST', error_code: 0, http_status: 200, token_id: fresh.tokenId });
    const unknownClientRows = await t.database.db.selectFrom('audit_log').selectAll().where('client_id', '=', 0).where('error_code', '=', 9001).execute();
    expect(unknownClientRows.length).toBeGreaterThan(0);
    const everything = await sql<{ dump: string }>`select string_agg(a::text, '|') as dump from audit_log a`.execute(t.database.db);
    const tokens = await sql<{ dump: string }>`select string_agg(t::text, '|') as dump from api_tokens t`.execute(t.database.db);
    expect(everything.rows[0].dump).not.toContain(fresh.token);
    expect(tokens.rows[0].dump).not.toContain(fresh.token);
    expect(t.logs.lines.join('')).not.toContain(fresh.token);
    const tokenList = await t.admin('GET', `/clients/${fresh.code}/tokens`);
    expect(tokenList.items[0].last_used_at).not.toBeNull();
    expect(JSON.stringify(tokenList)).not.toContain(fresh.token);
  });

  it('answers /health with the database state', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect([response.statusCode, response.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.json().openapi).toBe('3.1.0');
    expect(Object.keys(spec.json().paths)).toContain('/api/{client}/v1/profiles/types/list');
    expect(Object.keys(spec.json().paths)).toContain('/admin/v1/clients/{code}/tokens');
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
  });

  it('has the seed message for every catalogue code', () => {
    expect(Object.keys(ERROR_CATALOGUE).map(Number)).toEqual([
      9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015, 9016, 9017, 9018, 9019, 9020, 9021,
      9022, 9030, 9031, 9032, 9033, 9034,
    ]);
    expect(ERROR_CATALOGUE[9034].message).toBe('The API Token does not exist for the specified client.');
  });
});

describe.each(DATABASES)('faults on %s', (kind) => {
  it('answers 500 with a request id and no stack when the database is gone, and /health 503', async () => {
    const t = await startTestApp(kind);
    const tenant = await t.tenant();
    await t.database.close();
    const response = await t.post(`/api/${tenant.code}/v1/profiles/types/list`, { apiToken: 'pc-' + 'x'.repeat(44) });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ ErrorCode: 500, ErrorMessage: 'Internal server error.', request_id: response.headers['x-request-id'] });
    expect(JSON.stringify(response.body)).not.toMatch(/at |Error:/);
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    await t.app.close();
  });
});
