import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { ticketingTenant } from '../violations/enforcement-fixtures.js';

const PASSWORD = 'a long enough passphrase';

describe.each(DATABASES)('GET /admin/v1/clients/:code/dashboard on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const show = (code: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) =>
    t.app.inject({ method: 'GET', url: `/admin/v1/clients/${code}/dashboard`, headers });
  const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  /** A local time of the integration API (the client's input time zone, UTC by default). */
  const local = (days: number) => at(days).slice(0, 19);

  it('counts per lot the standard and pushed permits valid now against the capacity, and the overdue violations', async () => {
    const s = await ticketingTenant(t);
    await t.admin('POST', `${s.base}/lots`, { name: 'North', lot_type: 'M', capacity: 10 });
    await t.admin('POST', `${s.base}/lots`, { name: 'Empty', lot_type: 'Y' });
    await t.admin('POST', `${s.base}/permit-types`, { short_name: 'N', lot: 'North' });
    const permit = (start: string, end: string, plates: string[]) => t.admin('POST', `${s.base}/permits`, { permit_type: 'N', plates, start, end });
    // one permit for two plates counts once: it is one permit
    await permit(at(-1), at(30), ['NOW 1', 'NOW 2']);
    await permit(at(-2), at(2), ['NOW 3']);
    await permit(at(-30), at(-1), ['GONE 1']);
    await permit(at(1), at(30), ['SOON 1']);
    const push = (plate: string, zone: string) =>
      t.post(
        `/api/${s.tenant.code}/v1/permits/push`,
        { LicencePlate: plate, zone, startTime: local(-1), endTime: local(1), Amount: '3.00' },
        { authorization: `Bearer ${s.tenant.token}` },
      );
    expect((await push('PUSH 1', 'north')).status).toBe(200);
    expect((await push('PUSH 2', 'Elsewhere')).status).toBe(200);
    await s.ticket();
    await s.ticket();
    const paid = await s.ticket();
    await t.admin('POST', `${s.base}/violations/${paid.id}/payments`, { amount: '50.00' });
    await s.ticket({ due: at(5), issued: at(-1) });

    const answer = await show(s.tenant.code);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      lots: [
        { id: expect.any(Number), name: 'North', capacity: 10, standard_permits: 2, pushed_permits: 1, valid_permits: 3 },
        { id: expect.any(Number), name: 'Empty', capacity: 0, standard_permits: 0, pushed_permits: 0, valid_permits: 0 },
      ],
      overdue_violations: 2,
      // PUSH 2's zone named no lot
      disconnected_permits: 1,
    });
  });

  it('answers no lots, no overdue violations and no disconnected records for a new client', async () => {
    const tenant = await t.tenant();
    const answer = await show(tenant.code);
    expect([answer.statusCode, answer.json()]).toEqual([200, { lots: [], overdue_violations: 0, disconnected_permits: 0 }]);
  });

  it("is read by an officer of the client, and refused for another client's, an unknown client and no credentials", async () => {
    const tenant = await t.tenant();
    const other = await t.tenant();
    await t.admin('POST', '/operators', {
      username: `dash-officer-${kind}`,
      display_name: 'Officer',
      role: 'officer',
      client: tenant.code,
      password: PASSWORD,
    });
    const session = await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username: `dash-officer-${kind}`, password: PASSWORD } });
    const cookie = session.cookies.find((candidate) => candidate.name === 'pc_session');
    if (cookie === undefined) throw new Error('the sign-in set no session cookie');
    const officer = { cookie: `pc_session=${cookie.value}` };
    expect((await show(tenant.code, officer)).statusCode).toBe(200);
    expect((await show(other.code, officer)).statusCode).toBe(404);
    const unknown = await show('NO_SUCH_CLIENT');
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'no client with code NO_SUCH_CLIENT', field: 'code' }]);
    expect((await show(tenant.code, {})).statusCode).toBe(401);
  });
});
