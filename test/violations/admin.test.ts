import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminCommand, localTarget } from '../../src/admin/cli.js';
import { adminOperations } from '../../src/admin/operations.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { createUser, createVehicle } from '../helpers/fixtures.js';
import { ticketingTenant } from './enforcement-fixtures.js';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../src/webhooks/settings.js';

describe.each(DATABASES)('enforcement admin API and CLI on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  async function call(method: string, url: string, payload?: unknown) {
    const response = await t.app.inject({
      method: method as 'POST',
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: response.statusCode, body: response.json() };
  }

  /** Runs `admin …` on the app's database and returns what it printed. */
  async function cli(...args: string[]): Promise<string> {
    const command = adminCommand(adminOperations, async () =>
      localTarget(async () => ({ db: t.database.db, auth: t.app.auth, audit: t.app.audit, webhooks: DEFAULT_WEBHOOK_SETTINGS, close: async () => {} })),
    );
    command.exitOverride();
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      // the command is `admin` itself
      await command.parseAsync(args.slice(1), { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    return printed.join('');
  }

  it('creates and lists locations, ticket categories and violation types, refusing duplicates and bad values', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    const location = await call('POST', `${base}/locations`, { name: 'Lot 6' });
    expect(location.status).toBe(201);
    expect((await call('POST', `${base}/locations`, { name: 'lot 6' })).status).toBe(409);
    expect((await call('POST', `${base}/locations`, { name: '' })).status).toBe(400);
    expect((await call('GET', `${base}/locations`)).body).toMatchObject({ items: [{ id: location.body.id, name: 'Lot 6' }], next_cursor: null });
    await call('POST', `${base}/ticket-categories`, { name: 'Municipal' });
    const type = await call('POST', `${base}/violation-types`, {
      description: 'Expired meter',
      default_cost: '35.50',
      bylaw_code: 'BL-1',
      category: 'municipal',
    });
    expect(type.status).toBe(201);
    expect(type.body).toMatchObject({ description: 'Expired meter', default_cost: '35.50', bylaw_code: 'BL-1', discount_amount: '0.00', discount_hours: 0 });
    const badCost = await call('POST', `${base}/violation-types`, { description: 'x', default_cost: '1.234' });
    expect(badCost).toMatchObject({ status: 400, body: { field: 'default_cost' } });
    const badCategory = await call('POST', `${base}/violation-types`, { description: 'x', category: 'Nope' });
    expect(badCategory).toMatchObject({ status: 400, body: { field: 'category' } });
    expect((await call('GET', `${base}/violation-types`)).body.items).toHaveLength(1);
  });

  it('writes violations by plate or vehicle id, with the fine defaulting to the types’ costs, and validates them', async () => {
    const s = await ticketingTenant(t);
    const byPlate = await s.ticket({ plate: 'ajnr 123' });
    expect(byPlate).toMatchObject({
      vehicle_id: s.vehicle.id,
      plate: 'AJNR123',
      fine: '50.00',
      paid: '0.00',
      violation_type_ids: [s.type.id],
      appeal_state: 'none',
      location_id: s.location.id,
    });
    const byId = await s.ticket({ plate: undefined, vehicle_id: s.vehicle.id, fine: 75 });
    expect(byId).toMatchObject({ vehicle_id: s.vehicle.id, fine: '75.00' });
    const other = await t.tenant();
    const foreign = await createVehicle(t.database.db, other.clientId, { plate: 'FOREIGN1' });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ plate: 'NOSUCH' }, 400, 'plate'],
      [{ plate: undefined, vehicle_id: foreign.id }, 400, 'vehicle_id'],
      [{ plate: undefined }, 400, 'plate'],
      [{ violation_type_ids: [999999] }, 400, 'violation_type_ids'],
      [{ violation_type_ids: [] }, 400, 'violation_type_ids'],
      [{ location: 'Nowhere' }, 400, 'location'],
      [{ issued: '2016-05-23T20:00:00Z', due: '2016-05-03T20:00:00Z' }, 400, 'due'],
      [{ issued: 'yesterday' }, 400, 'issued'],
      [{ ticket: byPlate.ticket }, 409, 'ticket'],
      [{ fine: '-1' }, 400, 'fine'],
    ];
    for (const [change, status, field] of cases) {
      const body = {
        ticket: `X-${Math.random()}`,
        plate: 'AJNR123',
        violation_type_ids: [s.type.id],
        issued: '2016-05-03T20:00:00Z',
        due: '2016-05-23T20:00:00Z',
        ...change,
      };
      const response = await call('POST', `${s.base}/violations`, JSON.parse(JSON.stringify(body)));
      expect({ change, status: response.status, field: response.body.field }).toStrictEqual({ change, status, field });
    }
  });

  it('records payments, voids and appeals, refusing what does not apply', async () => {
    const s = await ticketingTenant(t);
    const violation = await s.ticket();
    const paid = await call('POST', `${s.base}/violations/${violation.id}/payments`, { amount: '20.00' });
    expect(paid).toMatchObject({ status: 201, body: { paid: '20.00' } });
    expect((await call('POST', `${s.base}/violations/${violation.id}/payments`, { amount: '30.01' })).status).toBe(409);
    expect((await call('POST', `${s.base}/violations/${violation.id}/payments`, { amount: 0 })).status).toBe(400);
    expect((await call('POST', `${s.base}/violations/999999/payments`, { amount: 1 })).status).toBe(404);
    expect((await call('POST', `${s.base}/violations/${violation.id}/appeal`, { state: 'pending' })).status).toBe(400);
    expect((await call('POST', `${s.base}/violations/${violation.id}/appeal`, { state: 'OPEN' })).body.appeal_state).toBe('open');
    const voided = await call('POST', `${s.base}/violations/${violation.id}/void`);
    expect(voided.status).toBe(200);
    expect(voided.body.spoiled_at).not.toBeNull();
    expect((await call('POST', `${s.base}/violations/${violation.id}/void`)).status).toBe(409);
    expect((await call('POST', `${s.base}/violations/${violation.id}/payments`, { amount: 1 })).status).toBe(409);
    const other = await t.tenant();
    expect((await call('POST', `/clients/${other.code}/violations/${violation.id}/void`)).status).toBe(404);
  });

  it('filters the list by status and plate, and shows a violation with its payments', async () => {
    const s = await ticketingTenant(t);
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString();
    // sent first, by the collections export itself, before the others exist
    const sent = await s.ticket();
    const exported = await t.post(`/api/${s.tenant.code}/v1/violations/send_overdue_to_collections`, {}, { authorization: `Bearer ${s.tenant.token}` });
    expect(exported.status).toBe(200);
    const overdue = await s.ticket();
    const notYetDue = await s.ticket({ due: future, issued: '2026-01-01T00:00:00Z' });
    const paid = await s.ticket();
    const voided = await s.ticket();
    const appealed = await s.ticket();
    await call('POST', `${s.base}/violations/${paid.id}/payments`, { amount: '20.00' });
    await call('POST', `${s.base}/violations/${paid.id}/payments`, { amount: '30.00' });
    await call('POST', `${s.base}/violations/${voided.id}/void`);
    await call('POST', `${s.base}/violations/${appealed.id}/appeal`, { state: 'open' });
    const other = await createVehicle(t.database.db, s.tenant.clientId, { plate: 'OTHER 9' });
    const otherPlate = await s.ticket({ plate: undefined, vehicle_id: other.id });

    const ids = async (query: string) => (await call('GET', `${s.base}/violations?${query}`)).body.items.map((item: { id: number }) => item.id);
    expect(await ids('status=open')).toEqual([overdue.id, notYetDue.id, appealed.id, otherPlate.id]);
    expect(await ids('status=overdue')).toEqual([overdue.id, otherPlate.id]);
    expect(await ids('status=paid')).toEqual([paid.id]);
    expect(await ids('status=void')).toEqual([voided.id]);
    expect(await ids('status=collections')).toEqual([sent.id]);
    expect(await ids('plate=other-9')).toEqual([otherPlate.id]);
    expect(await ids('status=overdue&plate=ajnr123&limit=1')).toEqual([overdue.id]);
    const refused = await call('GET', `${s.base}/violations?status=late`);
    expect([refused.status, refused.body.field]).toEqual([400, 'status']);

    const shown = await call('GET', `${s.base}/violations/${paid.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: paid.id, paid: '50.00', payments: [{ amount: '20.00' }, { amount: '30.00' }] });
    expect((await call('GET', `${s.base}/violations/${overdue.id}`)).body.payments).toEqual([]);
    const missing = await call('GET', `${s.base}/violations/999999`);
    expect([missing.status, missing.body.field]).toEqual([404, 'id']);
    const elsewhere = await t.tenant();
    expect((await call('GET', `/clients/${elsewhere.code}/violations/${paid.id}`)).status).toBe(404);
  });

  it('creates and lists DNTT entries, refusing an end before the start', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    const entry = await call('POST', `${base}/dntt`, {
      plate: 'def-123',
      location: 'Lot 6',
      start: '2024-10-23T00:00:00-04:00',
      end: '2099-04-30T23:59:00-04:00',
      notes: 'Hertz',
    });
    expect(entry).toMatchObject({ status: 201, body: { plate: 'def-123', plate_norm: 'DEF123', location: 'Lot 6', notes: 'Hertz' } });
    expect((await call('POST', `${base}/dntt`, { plate: 'X', start: '2024-10-23T00:00:00Z', end: '2024-10-22T00:00:00Z' })).body).toMatchObject({
      field: 'end',
    });
    expect((await call('POST', `${base}/dntt`, { plate: 'X', start: 'soon', end: '2024-10-22T00:00:00Z' })).status).toBe(400);
    expect((await call('GET', `${base}/dntt?plate=DEF 123`)).body.items).toHaveLength(1);
    expect((await call('GET', `${base}/dntt?plate=OTHER`)).body.items).toHaveLength(0);
  });

  it('sets and clears vehicle and user alerts, which plate validation shows as the alarm', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    const user = await createUser(t.database.db, tenant.clientId);
    const vehicle = await createVehicle(t.database.db, tenant.clientId, { plate: 'ALRT1', driver_user_ids: [user.id] });
    const validate = async () =>
      (await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: 'ALRT1' })).body.data.responseJSON;
    expect((await call('PUT', `${base}/vehicles/${vehicle.id}/alert`, { text: 'Stolen' })).body).toStrictEqual({ id: vehicle.id, alert: 'Stolen' });
    await call('PUT', `${base}/users/${user.id}/alert`, { text: 'Banned driver' });
    expect(await validate()).toStrictEqual({ alarm: 'Stolen\nBanned driver' });
    await call('DELETE', `${base}/vehicles/${vehicle.id}/alert`);
    expect(await validate()).toStrictEqual({ alarm: 'Banned driver' });
    await call('DELETE', `${base}/users/${user.id}/alert`);
    expect(await validate()).toStrictEqual({});
    expect((await call('PUT', `${base}/vehicles/999999/alert`, { text: 'x' })).status).toBe(404);
    expect((await call('PUT', `${base}/users/${user.id}/alert`, {})).status).toBe(400);
    const other = await t.tenant();
    expect((await call('DELETE', `/clients/${other.code}/users/${user.id}/alert`)).status).toBe(404);
  });

  it('runs the same operations from the CLI', async () => {
    const s = await ticketingTenant(t);
    const created = JSON.parse(
      await cli(
        'admin',
        'violations',
        'create',
        '--client',
        s.tenant.code,
        '--ticket',
        'CLI-1',
        '--plate',
        'AJNR123',
        '--location',
        'Downtown Business District',
        '--violation-type-ids',
        String(s.type.id),
        '--issued',
        '2016-05-03T20:00:00Z',
        '--due',
        '2016-05-23T20:00:00Z',
        '--json',
      ),
    );
    expect(created).toMatchObject({ ticket: 'CLI-1', fine: '50.00', location_id: s.location.id });
    const paid = JSON.parse(await cli('admin', 'violations', 'pay', '--client', s.tenant.code, '--id', String(created.id), '--amount', '12.50', '--json'));
    expect(paid.paid).toBe('12.50');
    const alert = JSON.parse(await cli('admin', 'vehicle-alerts', 'set', '--client', s.tenant.code, '--id', String(s.vehicle.id), '--text', 'Tow', '--json'));
    expect(alert).toStrictEqual({ id: s.vehicle.id, alert: 'Tow' });
    const entry = JSON.parse(
      await cli(
        'admin',
        'dntt',
        'create',
        '--client',
        s.tenant.code,
        '--plate',
        'CLI1',
        '--start',
        '2024-01-01T00:00:00Z',
        '--end',
        '2099-01-01T00:00:00Z',
        '--json',
      ),
    );
    expect(entry).toMatchObject({ plate_norm: 'CLI1', location: '' });
  });
});
