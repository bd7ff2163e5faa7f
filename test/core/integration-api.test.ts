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
    expect(everything.rows[0]!.dump).not.toContain(fresh.token);
    expect(tokens.rows[0]!.dump).not.toContain(fresh.token);
    expect(t.logs.lines.join('')).not.toContain(fresh.token);
    const tokenList = await t.admin('GET', `/clients/${fresh.code}/tokens`);
    expect(tokenList.items[0].last_used_at).not.toBeNull();
    expect(JSON.stringify(tokenList)).not.toContain(fresh.token);
  });

  describe("the edges of the API answer in its envelope, never in the framework's", () => {
    it("answers a wrong method with 405, an Allow header and the endpoint's envelope", async () => {
      const get = await t.app.inject({ method: 'GET', url: typesUrl(tenant.code) });
      expect(get.statusCode).toBe(405);
      expect(get.headers.allow).toBe('POST');
      expect(get.json()).toEqual({ ErrorCode: 9003, ErrorMessage: 'Could not parse the request.', hint: 'this endpoint accepts POST' });
      const deleteLotValues = await t.app.inject({ method: 'DELETE', url: `/api/${tenant.code}/v1/permits/lot-values` });
      expect([deleteLotValues.statusCode, deleteLotValues.headers.allow]).toEqual([405, 'GET, POST, HEAD']);
      const plate = await t.app.inject({ method: 'PUT', url: '/api/v1/validate/plate' });
      expect([plate.statusCode, plate.json()]).toEqual([
        405,
        { error: 9003, data: null, message: 'Could not parse the request.', hint: 'this endpoint accepts POST' },
      ]);
    });

    it('answers an unknown path with 404 in the seed envelope', async () => {
      const response = await t.app.inject({ method: 'POST', url: `/api/${tenant.code}/v1/permits/nothing?x=1` });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ ErrorCode: 9003, ErrorMessage: 'Could not parse the request.' });
      expect(response.json().hint).toContain(`POST /api/${tenant.code}/v1/permits/nothing`);
    });

    it('answers malformed percent-encoding with 9003 and an over-long path segment with 9030', async () => {
      const badUrl = await t.app.inject({ method: 'POST', url: `/api/${tenant.code}/v1/validate/plate/%ZZ` });
      expect([badUrl.statusCode, badUrl.json().ErrorCode]).toEqual([400, 9003]);
      const longPlate = await t.post(`/api/${tenant.code}/v1/validate/plate/${'A'.repeat(120)}`, { apiToken: tenant.token });
      expect([longPlate.status, longPlate.body]).toEqual([
        400,
        { ErrorCode: 9030, ErrorMessage: "The field's maximum number of characters was exceeded.", field: 'plate' },
      ]);
      const hugePlate = await t.post(`/api/${tenant.code}/v1/validate/plate/${'A'.repeat(2000)}`, { apiToken: tenant.token });
      expect([hugePlate.status, hugePlate.body.ErrorCode]).toEqual([400, 9030]);
    });

    it('refuses U+0000 in the path with the documented codes, and audits every other call of the batch', async () => {
      const fresh = await t.tenant();
      const nulClient = await t.post(`/api/${fresh.code}%00/v1/permits/stats`, { apiToken: fresh.token });
      expect([nulClient.status, nulClient.body.ErrorCode]).toEqual([401, 9034]);
      const nulPlate = await t.post(`/api/${fresh.code}/v1/validate/plate/AB%00C`, { apiToken: fresh.token });
      expect([nulPlate.status, nulPlate.body]).toMatchObject([400, { ErrorCode: 9033, field: 'plate' }]);
      const nulUnknownPath = await t.app.inject({ method: 'POST', url: '/api/X%00/v1/nothing' });
      expect(nulUnknownPath.statusCode).toBe(404);
      await t.post(typesUrl(fresh.code), { apiToken: fresh.token });
      await t.app.audit.flush();
      const audit = await t.admin('GET', `/clients/${fresh.code}/audit`);
      expect(audit.items.map((row: { error_code: number }) => row.error_code)).toEqual([0, 9033]);
      const unknownClient = await t.database.db
        .selectFrom('audit_log')
        .select(['client_code', 'http_status'])
        .where('client_code', 'like', `${fresh.code}%u0000`)
        .execute();
      expect(unknownClient).toEqual([{ client_code: `${fresh.code}\\u0000`, http_status: 401 }]);
    });

    it("adds a hint naming the accepted format to time and amount errors, keeping the vendor's code and message", async () => {
      const pushUrl = `/api/${tenant.code}/v1/permits/push`;
      const base = { apiToken: tenant.token, plate: 'HINT1', startTime: '2026-11-24T10:00:00', endTime: '2026-11-24T12:00:00' };
      const badStart = await t.post(pushUrl, { ...base, startTime: '2026-11-24 10:00' });
      expect(badStart.body).toEqual({
        ErrorCode: 9007,
        ErrorMessage: 'The start time value is invalid.',
        field: 'startTime',
        hint: 'a time as YYYY-MM-DDTHH:MM:SS without offset, e.g. 2026-11-24T10:00:00',
      });
      const badEnd = await t.post(pushUrl, { ...base, endTime: 20261124 });
      expect(badEnd.body).toMatchObject({ ErrorCode: 9005, field: 'endTime', hint: expect.stringContaining('YYYY-MM-DD') });
      const reversed = await t.post(pushUrl, { ...base, endTime: '2026-11-24T09:00:00' });
      expect(reversed.body).toMatchObject({ ErrorCode: 9005, hint: 'the end time must be later than the start time' });
      const badAmount = await t.post(pushUrl, { ...base, Amount: '14.5' });
      expect(badAmount.body).toMatchObject({ ErrorCode: 9033, field: 'Amount', hint: expect.stringContaining('two decimals') });
    });
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
      9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015, 9016, 9017, 9018, 9019, 9020, 9021, 9022, 9030, 9031,
      9032, 9033, 9034, 9040, 9041,
    ]);
    expect(ERROR_CATALOGUE[9034].message).toBe('The API Token does not exist for the specified client.');
    // this server's one addition: request limits
    expect(ERROR_CATALOGUE[9040]).toEqual({ status: 429, message: 'Too many requests: retry after the number of seconds in the Retry-After header.' });
  });
});

describe.each(DATABASES)('faults on %s', (kind) => {
  it('answers 500 with a request id and no stack when the database is gone, /health/ready 503 and /health 200', async () => {
    const t = await startTestApp(kind);
    const tenant = await t.tenant();
    await t.database.close();
    const response = await t.post(`/api/${tenant.code}/v1/profiles/types/list`, { apiToken: 'pc-' + 'x'.repeat(44) });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ ErrorCode: 500, ErrorMessage: 'Internal server error.', request_id: response.headers['x-request-id'] });
    expect(JSON.stringify(response.body)).not.toMatch(/at |Error:/);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    const live = await t.app.inject({ method: 'GET', url: '/health' });
    expect(live.statusCode).toBe(200);
    await t.app.close();
  });
});
