import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo } from '../../src/demo/index.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DATABASES)('GET /admin/v1/clients/:code/plates/:plate on %s', (kind) => {
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof ensureDemo>>;
  beforeAll(async () => {
    t = await startTestApp(kind);
    demo = await ensureDemo(t.database.db);
  });
  afterAll(() => t.close());

  const lookup = (plate: string, code = demo.clientCode, token = ADMIN_TOKEN) =>
    t.app.inject({ method: 'GET', url: `/admin/v1/clients/${code}/plates/${encodeURIComponent(plate)}`, headers: { authorization: `Bearer ${token}` } });
  const validate = (plate: string) => t.post('/api/v1/validate/plate', { api_token: demo.token, client: demo.clientCode, plate });

  it.each(['ABC123', 'abc 123', 'ABC890', 'ABC456', 'DEF123', 'ZZZ999'])('answers for %s what plate validation answers, every list present', async (plate) => {
    const answer = await lookup(plate);
    expect(answer.statusCode).toBe(200);
    const validation = await validate(plate);
    expect(validation.status).toBe(200);
    const { responseJSON, response } = validation.body.data;
    expect(answer.json()).toEqual({
      plate: validation.body.data.plate,
      permits: responseJSON.permits ?? [],
      dntt: responseJSON.dntt ?? [],
      alarm: responseJSON.alarm ?? null,
      response,
    });
  });

  it('shows ABC123 with its permits and its alarm, and ZZZ999 with nothing', async () => {
    const found = (await lookup('ABC123')).json();
    expect(found.plate).toBe('ABC123');
    expect(found.permits.length).toBeGreaterThan(0);
    for (const permit of found.permits) expect(Object.keys(permit).sort()).toEqual(['expires', 'shortName', 'type']);
    expect(found.alarm).toBe('Wanted to talk with.');
    expect((await lookup('ZZZ999')).json()).toEqual({ plate: 'ZZZ999', permits: [], dntt: [], alarm: null, response: '' });
  });

  it('refuses a plate with no letter or digit, an over-long plate, an unknown client and a missing admin token', async () => {
    const blank = await lookup('--');
    expect([blank.statusCode, blank.json().code, blank.json().field]).toEqual([400, 9006, 'plate']);
    const long = await lookup('A'.repeat(51));
    expect([long.statusCode, long.json().field]).toEqual([400, 'plate']);
    const unknown = await lookup('ABC123', 'NO_SUCH_CLIENT');
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'no client with code NO_SUCH_CLIENT', field: 'code' }]);
    const anonymous = await t.app.inject({ method: 'GET', url: `/admin/v1/clients/${demo.clientCode}/plates/ABC123` });
    expect(anonymous.statusCode).toBe(401);
    const integrationToken = await lookup('ABC123', demo.clientCode, demo.token);
    expect(integrationToken.statusCode).toBe(401);
  });
});
