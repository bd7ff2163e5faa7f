import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo } from '../../src/demo/index.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

const PASSWORD = 'a long enough passphrase';

describe.each(DATABASES)('GET /admin/v1/clients/:code/lot-values on %s', (kind) => {
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof ensureDemo>>;
  beforeAll(async () => {
    t = await startTestApp(kind);
    demo = await ensureDemo(t.database.db);
  });
  afterAll(() => t.close());

  const report = (code: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) =>
    t.app.inject({ method: 'GET', url: `/admin/v1/clients/${code}/lot-values`, headers });

  /** The session cookie of a new operator of the demo client with this role. */
  async function signedIn(role: 'officer' | 'finance'): Promise<Record<string, string>> {
    const username = `lot-values-${role}`;
    await t.admin('POST', '/operators', { username, display_name: role, role, client: demo.clientCode, password: PASSWORD });
    const session = await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username, password: PASSWORD } });
    expect(session.statusCode).toBe(200);
    const cookie = session.cookies.find((candidate) => candidate.name === 'pc_session');
    if (cookie === undefined) throw new Error('the sign-in set no session cookie');
    return { cookie: `pc_session=${cookie.value}` };
  }

  it("answers the integration API's permits/lot-values rows, one per lot", async () => {
    const answer = await report(demo.clientCode);
    expect(answer.statusCode).toBe(200);
    const integration = await t.post(`/api/${demo.clientCode}/v1/permits/lot-values`, { apiToken: demo.token });
    expect(integration.status).toBe(200);
    expect(answer.json()).toEqual({ items: integration.body });
    expect(answer.json().items.length).toBeGreaterThan(0);
    expect(answer.json().items.some((row: { rented_permits: number }) => row.rented_permits > 0)).toBe(true);
  });

  it('answers an empty list for a client without lots', async () => {
    const tenant = await t.tenant();
    const answer = await report(tenant.code);
    expect([answer.statusCode, answer.json()]).toEqual([200, { items: [] }]);
  });

  it('is read by finance, refused to officers, unknown clients and callers without credentials', async () => {
    expect((await report(demo.clientCode, await signedIn('finance'))).statusCode).toBe(200);
    const officer = await report(demo.clientCode, await signedIn('officer'));
    expect([officer.statusCode, officer.json().error]).toEqual([403, `an officer of client ${demo.clientCode} may not run lot-values list`]);
    const unknown = await report('NO_SUCH_CLIENT');
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'no client with code NO_SUCH_CLIENT', field: 'code' }]);
    expect((await report(demo.clientCode, {})).statusCode).toBe(401);
  });
});
