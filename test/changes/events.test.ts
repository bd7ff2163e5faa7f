import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkOverdue, ticketingTenant } from '../violations/enforcement-fixtures.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

interface FeedEvent {
  seq: number;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** The only keys a user's event may carry: named profile columns, never a credential. */
const USER_KEYS = [
  'id',
  'unique_id',
  'login_source',
  'first_name',
  'last_name',
  'user_name',
  'email',
  'street',
  'city',
  'province',
  'postal_code',
  'street2',
  'city2',
  'province2',
  'postal_code2',
  'phone_cell',
  'user_type_id',
  'employ_no',
  'employee_phone',
  'student_no',
  'student_phone',
  'driver_licence_num',
  'driver_licence_prov',
  'date_of_birth',
  'locker_user_type_id',
  'alert',
  'created_at',
  'updated_at',
  'vehicle_ids',
];

describe.each(DATABASES)('the events each change writes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  /** One page of the client's feed after `after`. */
  const page = async (tenant: Tenant, after: string, query = '&limit=1000') => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/${tenant.code}/v1/changes?after=${after}${query}`,
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ events: FeedEvent[]; next_cursor: string }>();
  };
  /** Every event of the client after `after` (following the pages), and the cursor after the last. */
  const follow = async (tenant: Tenant, after: string) => {
    const all: FeedEvent[] = [];
    let cursor = after;
    for (;;) {
      const answer = await page(tenant, cursor);
      all.push(...answer.events);
      if (answer.events.length === 0) return { events: all, cursor };
      cursor = answer.next_cursor;
    }
  };
  /** Where the client's feed is now. */
  const head = async (tenant: Tenant) => (await follow(tenant, '0')).cursor;
  const since = async (tenant: Tenant, after: string) => (await follow(tenant, after)).events;
  /** Runs `change` and returns the events it wrote. */
  const eventsOf = async (tenant: Tenant, change: () => Promise<unknown>) => {
    const before = await head(tenant);
    await change();
    return since(tenant, before);
  };
  /** An admin call that is expected to fail with `status`. */
  const refused = async (method: string, url: string, status: number, payload?: object) => {
    const response = await t.app.inject({
      method: method as 'POST',
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode, response.body).toBe(status);
  };
  const only = (events: FeedEvent[], type: string) => {
    expect(events.map((event) => event.type)).toEqual([type]);
    return events[0]!.data;
  };

  it('writes permit.created for a standard permit, and nothing for one refused', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    await t.admin('POST', `${base}/lots`, { name: 'Lot S', lot_type: 'M', default_cost: '12.50' });
    const setup = await eventsOf(tenant, () => t.admin('POST', `${base}/permit-types`, { short_name: 'LS', lot: 'Lot S' }));
    expect(setup).toEqual([]);

    let permit: Record<string, unknown> = {};
    const events = await eventsOf(tenant, async () => {
      permit = await t.admin('POST', `${base}/permits`, { permit_type: 'LS', plates: ['STD 1'], start: at(-HOUR), end: at(DAY) });
    });
    const data = only(events, 'permit.created');
    expect(data).toEqual(permit);
    expect(data).toMatchObject({ kind: 'standard', short_name: 'LS', lot: 'Lot S', plates: ['STD 1'], amount: '12.50000', deleted_at: null });

    const failed = await eventsOf(tenant, async () => {
      await refused('POST', `${base}/permits`, 404, { permit_type: 'NOPE', plates: ['STD 2'], start: at(-HOUR), end: at(DAY) });
      await refused('POST', `${base}/permits`, 400, { permit_type: 'LS', plates: ['STD 2'], start: at(DAY), end: at(-HOUR) });
      await refused('POST', `${base}/permits`, 404, { permit_type: 'LS', vehicle_ids: [999999], start: at(-HOUR), end: at(DAY) });
    });
    expect(failed).toEqual([]);
  });

  it('writes dntt.created and dntt.ended, and nothing for a refused entry or end', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}/dntt`;
    let entry: { id: number; end_at: string } = { id: 0, end_at: '' };
    const created = only(
      await eventsOf(tenant, async () => {
        entry = await t.admin('POST', base, { plate: 'DN 1', location: 'Lot 6', start: at(-HOUR), end: at(DAY), notes: 'moving day' });
      }),
      'dntt.created',
    );
    expect(created).toEqual(entry);
    expect(created).toMatchObject({ plate: 'DN 1', plate_norm: 'DN1', location: 'Lot 6', notes: 'moving day' });

    let ended: { end_at: string } = { end_at: '' };
    const endedEvent = only(
      await eventsOf(tenant, async () => {
        ended = await t.admin('POST', `${base}/${entry.id}/end`);
      }),
      'dntt.ended',
    );
    expect(endedEvent).toEqual(ended);
    expect(Date.parse(ended.end_at)).toBeLessThan(Date.parse(entry.end_at));
    expect(Date.parse(ended.end_at)).toBeLessThanOrEqual(Date.now());

    const future = await t.admin('POST', base, { plate: 'DN 2', start: at(HOUR), end: at(DAY) });
    const failed = await eventsOf(tenant, async () => {
      await refused('POST', `${base}/${entry.id}/end`, 409);
      await refused('POST', `${base}/${future.id}/end`, 409);
      await refused('POST', `${base}/999999/end`, 404);
      await refused('POST', base, 400, { plate: 'DN 3', start: at(DAY), end: at(-HOUR) });
    });
    expect(failed).toEqual([]);
    // the refusals changed nothing: the future entry keeps its end, the plate lookup no longer shows the ended one
    const lookup = await t.admin('GET', `/clients/${tenant.code}/plates/DN1`);
    expect(lookup.dntt).toEqual([]);
  });

  it('writes alarm.set and alarm.cleared for vehicles and users, and nothing for clearing no alarm', async () => {
    const { tenant, base, vehicle, driver } = await ticketingTenant(t);
    const set = only(await eventsOf(tenant, () => t.admin('PUT', `${base}/vehicles/${vehicle.id}/alert`, { text: 'Stolen' })), 'alarm.set');
    expect(set).toMatchObject({ subject: 'vehicle', id: vehicle.id, alert: 'Stolen' });
    expect(Date.parse(String(set.updated_at))).not.toBeNaN();
    const cleared = only(await eventsOf(tenant, () => t.admin('DELETE', `${base}/vehicles/${vehicle.id}/alert`)), 'alarm.cleared');
    expect(cleared).toMatchObject({ subject: 'vehicle', id: vehicle.id, alert: null });

    const userSet = only(await eventsOf(tenant, () => t.admin('PUT', `${base}/users/${driver.id}/alert`, { text: 'Call security' })), 'alarm.set');
    expect(userSet).toMatchObject({ subject: 'user', id: driver.id, alert: 'Call security' });
    const userCleared = only(await eventsOf(tenant, () => t.admin('DELETE', `${base}/users/${driver.id}/alert`)), 'alarm.cleared');
    expect(userCleared).toMatchObject({ subject: 'user', id: driver.id, alert: null });

    const nothing = await eventsOf(tenant, async () => {
      // clearing an alarm that is not set answers as before and changes nothing followed
      expect(await t.admin('DELETE', `${base}/vehicles/${vehicle.id}/alert`)).toEqual({ id: vehicle.id, alert: null });
      await refused('PUT', `${base}/vehicles/999999/alert`, 404, { text: 'Nobody' });
      await refused('DELETE', `${base}/users/999999/alert`, 404);
      await refused('PUT', `${base}/users/${driver.id}/alert`, 400, { text: '' });
    });
    expect(nothing).toEqual([]);
  });

  it('writes vehicle.created for a pushed or created vehicle and vehicle.updated for a new driver, and nothing for a refused one', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    const user = await t.admin('POST', `${base}/users`, { unique_id: 'DRV-1', first_name: 'Dee', last_name: 'Driver', email: 'dee@example.test' });

    let pushed: { vehicle_id: string } = { vehicle_id: '' };
    const created = only(
      await eventsOf(tenant, async () => {
        const response = await t.post(`/api/${tenant.code}/v1/vehicles/push`, {
          apiToken: tenant.token,
          plate: 'VEH 1',
          plateTypeID: '4',
          provID: '9',
          year: '2020',
        });
        expect(response.status).toBe(200);
        pushed = response.body;
      }),
      'vehicle.created',
    );
    expect(created).toEqual(await t.admin('GET', `${base}/vehicles/${pushed.vehicle_id}`));
    expect(created).toMatchObject({ plate: 'VEH 1', year: 2020, driver_user_ids: [] });

    let made: { id: number } = { id: 0 };
    const adminCreated = only(
      await eventsOf(tenant, async () => {
        made = await t.admin('POST', `${base}/vehicles`, { plate: 'VEH 2', plateTypeID: 4, provID: 9, driver_user_ids: [user.id] });
      }),
      'vehicle.created',
    );
    expect(adminCreated).toMatchObject({ id: made.id, plate: 'VEH 2', driver_user_ids: [user.id] });

    const updated = only(
      await eventsOf(tenant, () => t.admin('POST', `${base}/vehicles/${pushed.vehicle_id}/drivers`, { user_id: user.id })),
      'vehicle.updated',
    );
    expect(updated).toMatchObject({ id: Number(pushed.vehicle_id), driver_user_ids: [user.id] });

    const nothing = await eventsOf(tenant, async () => {
      // linking the same driver again is no change
      await t.admin('POST', `${base}/vehicles/${pushed.vehicle_id}/drivers`, { user_id: user.id });
      const duplicate = await t.post(`/api/${tenant.code}/v1/vehicles/push`, { apiToken: tenant.token, plate: 'veh-1', plateTypeID: '4', provID: '9' });
      expect(duplicate.body.ErrorCode).toBe(9012);
      const badMake = await t.post(`/api/${tenant.code}/v1/vehicles/push`, {
        apiToken: tenant.token,
        plate: 'VEH 3',
        plateTypeID: '4',
        provID: '9',
        makeID: '999999',
      });
      expect(badMake.body.ErrorCode).toBe(9033);
      await refused('POST', `${base}/vehicles`, 400, { plate: 'VEH 4', plateTypeID: 4, provID: 9, make: 'Rolled-back make', driver_user_ids: [999999] });
      await refused('POST', `${base}/vehicles/${pushed.vehicle_id}/drivers`, 404, { user_id: 999999 });
    });
    expect(nothing).toEqual([]);
    // the refused vehicle left nothing behind, not even the make it would have added
    expect((await t.admin('GET', `${base}/vehicles?plate=VEH4`)).items).toEqual([]);
    expect((await t.admin('GET', `${base}/makes?limit=1000`)).items.map((make: { name: string }) => make.name)).not.toContain('Rolled-back make');
  });

  it('writes user.created and user.updated with profile columns only, and nothing for a refused profile', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    const profile = { unique_id: 'PR-1', login_source: 'OPSCOM', email: 'pat@example.test', first_name: 'Pat', last_name: 'Doe' };
    let pushedId = 0;
    const created = only(
      await eventsOf(tenant, async () => {
        const response = await t.post(`/api/${tenant.code}/v1/profiles/push`, { apiToken: tenant.token, ...profile });
        expect(response.status).toBe(200);
        pushedId = response.body.reference_id;
      }),
      'user.created',
    );
    expect(created).toEqual(await t.admin('GET', `${base}/users/${pushedId}`));
    expect(Object.keys(created).sort()).toEqual([...USER_KEYS].sort());

    const updated = only(
      await eventsOf(tenant, async () => {
        const response = await t.post(`/api/${tenant.code}/v1/profiles/push`, {
          apiToken: tenant.token,
          unique_id: 'PR-1',
          login_source: 'OPSCOM',
          city: 'Guelph',
        });
        expect(response.body).toEqual({ status: 'success', reference_id: pushedId });
      }),
      'user.updated',
    );
    expect(updated).toMatchObject({ id: pushedId, city: 'Guelph', first_name: 'Pat' });

    let made: { id: number } = { id: 0 };
    const adminCreated = only(
      await eventsOf(tenant, async () => {
        made = await t.admin('POST', `${base}/users`, { unique_id: 'PR-2', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test' });
      }),
      'user.created',
    );
    expect(adminCreated).toEqual(made);

    const nothing = await eventsOf(tenant, async () => {
      const noEmail = await t.post(`/api/${tenant.code}/v1/profiles/push`, {
        apiToken: tenant.token,
        unique_id: 'PR-3',
        login_source: 'OPSCOM',
        first_name: 'A',
        last_name: 'B',
      });
      expect(noEmail.body.ErrorCode).toBe(9016);
      const takenEmail = await t.post(`/api/${tenant.code}/v1/profiles/push`, {
        apiToken: tenant.token,
        ...profile,
        unique_id: 'PR-4',
        email: 'ADA@example.test',
      });
      expect(takenEmail.body.ErrorCode).toBe(9019);
      await refused('POST', `${base}/users`, 409, { unique_id: 'PR-2', first_name: 'Ada', last_name: 'Again', email: 'ada2@example.test' });
    });
    expect(nothing).toEqual([]);
  });

  it('writes violation.created, .paid for each payment with the balance, .voided, and nothing for a refused one', async () => {
    const { tenant, base, type, ticket } = await ticketingTenant(t);
    let violation: { id: number; ticket: string } = { id: 0, ticket: '' };
    const created = only(
      await eventsOf(tenant, async () => {
        violation = await ticket();
      }),
      'violation.created',
    );
    expect(created).toMatchObject({
      id: violation.id,
      ticket: violation.ticket,
      plate: 'AJNR123',
      fine: '50.00',
      adjusted_fine: null,
      paid: '0.00',
      balance: '50.00',
      spoiled_at: null,
      sent_to_collections_at: null,
      violation_type_ids: [type.id],
      issued_at: '2016-05-03T20:00:00.000Z',
    });

    const partly = only(await eventsOf(tenant, () => t.admin('POST', `${base}/violations/${violation.id}/payments`, { amount: '20.00' })), 'violation.paid');
    expect(partly).toMatchObject({ id: violation.id, paid: '20.00', balance: '30.00', payment: { amount: '20.00' } });
    const fully = only(await eventsOf(tenant, () => t.admin('POST', `${base}/violations/${violation.id}/payments`, { amount: '30.00' })), 'violation.paid');
    expect(fully).toMatchObject({ id: violation.id, paid: '50.00', balance: '0.00', payment: { amount: '30.00' } });

    const other = await ticket();
    const voided = only(await eventsOf(tenant, () => t.admin('POST', `${base}/violations/${other.id}/void`)), 'violation.voided');
    expect(voided).toMatchObject({ id: other.id, spoiled_at: expect.any(String), balance: '50.00' });

    const nothing = await eventsOf(tenant, async () => {
      await refused('POST', `${base}/violations`, 409, {
        ticket: violation.ticket,
        plate: 'AJNR123',
        violation_type_ids: [type.id],
        issued: '2016-05-03T20:00:00Z',
        due: '2016-05-23T20:00:00Z',
      });
      await refused('POST', `${base}/violations`, 400, { ticket: 'X-1', plate: 'AJNR123', violation_type_ids: [999999], issued: at(-DAY), due: at(DAY) });
      await refused('POST', `${base}/violations/${violation.id}/payments`, 409, { amount: '0.01' });
      await refused('POST', `${base}/violations/${other.id}/payments`, 409, { amount: '1.00' });
      await refused('POST', `${base}/violations/${other.id}/void`, 409);
      await refused('POST', `${base}/violations/999999/void`, 404);
      // an appeal is no event type
      await t.admin('POST', `${base}/violations/${violation.id}/appeal`, { state: 'open' });
    });
    expect(nothing).toEqual([]);
  });

  it('writes violation.sent_to_collections once per violation exported, across pages, and nothing for an empty export', async () => {
    const { tenant, vehicle, type, ticket } = await ticketingTenant(t);
    const single = await ticket();
    await bulkOverdue(t, tenant.clientId, vehicle.id, type.id, 1_205, 'EV');
    const exportOverdue = () => t.post(`/api/${tenant.code}/v1/violations/send_overdue_to_collections`, {}, { authorization: `Bearer ${tenant.token}` });

    const before = await head(tenant);
    const exported = await exportOverdue();
    expect(exported.status).toBe(200);
    const batchId: string = exported.body.batch_id;
    const events = await since(tenant, before);
    expect(events).toHaveLength(1_206);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['violation.sent_to_collections']));
    // numbered without gaps, in violation id order
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => Number(before) + 1 + index));
    const ids = events.map((event) => Number(event.data.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(1_206);
    expect(ids[0]).toBe(single.id);
    expect(events[0]!.data).toMatchObject({
      ticket: single.ticket,
      collections_batch_id: batchId,
      sent_to_collections_at: expect.any(String),
      balance: '50.00',
    });
    expect(events.every((event) => event.data.collections_batch_id === batchId)).toBe(true);
    expect(exported.body.records.map((record: { ViolationID: number }) => record.ViolationID)).toEqual(ids);

    const again = await eventsOf(tenant, async () => {
      const empty = await exportOverdue();
      expect(empty.body.batch_id).toBeNull();
    });
    expect(again).toEqual([]);
  });

  it('writes lot.updated for a lot update only, permit.updated per permit a zone alias reconnects, and nothing for a refused one', async () => {
    const tenant = await t.tenant();
    const base = `/clients/${tenant.code}`;
    const lot: { id: number } = await t.admin('POST', `${base}/lots`, { name: 'Lot U', lot_type: 'M' });
    await t.admin('POST', `${base}/lots`, { name: 'Lot V', lot_type: 'M' });
    let updated: Record<string, unknown> = {};
    const data = only(
      await eventsOf(tenant, async () => {
        updated = await t.admin('PATCH', `${base}/lots/${lot.id}`, { capacity: 40, default_cost: '9.50' });
      }),
      'lot.updated',
    );
    expect(data).toEqual(updated);
    expect(data).toMatchObject({ id: lot.id, name: 'Lot U', capacity: 40, default_cost: '9.50' });
    const refusedUpdates = await eventsOf(tenant, async () => {
      await refused('PATCH', `${base}/lots/${lot.id}`, 409, { name: 'lot v' });
      await refused('PATCH', `${base}/lots/${lot.id}`, 400, { capacity: -1 });
      await refused('PATCH', `${base}/lots/999999`, 404, { capacity: 1 });
    });
    expect(refusedUpdates).toEqual([]);

    const pushes = await eventsOf(tenant, async () => {
      for (const plate of ['ZA 1', 'ZA 2']) {
        const pushed = await t.post(`/api/${tenant.code}/v1/permits/push`, {
          apiToken: tenant.token,
          plate,
          zone: 'P-East ',
          amount: '4.50',
          promoCode: 'FREE1',
          startTime: at(-HOUR).slice(0, 19),
          endTime: at(HOUR).slice(0, 19),
        });
        expect(pushed.status).toBe(200);
      }
    });
    let alias: { id: number } = { id: 0 };
    const reconnected = await eventsOf(tenant, async () => {
      alias = await t.admin('POST', `${base}/lots/${lot.id}/aliases`, { name: 'p-east' });
    });
    expect(reconnected.map((event) => event.type)).toEqual(['permit.updated', 'permit.updated']);
    expect(reconnected.map((event) => event.data.plate)).toEqual(['ZA 1', 'ZA 2']);
    const created = reconnected[0]!.data;
    expect(created).toMatchObject({ kind: 'pushed', zone: 'P-East', lot_id: lot.id, disconnected: false, deleted_at: null });
    expect(Object.keys(created).sort()).toEqual(
      [
        'kind',
        'reference_id',
        'integration_id',
        'plate',
        'zone',
        'lot_id',
        'disconnected',
        'start',
        'end',
        'amount',
        'currency',
        'permit_no',
        'ticket_number',
        'promo_code',
        'created_at',
        'updated_at',
        'deleted_at',
      ].sort(),
    );
    // the database writes the event in the shape the service writes permit.created in
    const { lot_id: _lot, disconnected: _disconnected, updated_at: _updated, ...unchanged } = pushes[0]!.data;
    expect(created).toMatchObject(unchanged);
    expect(String(created.start)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const quiet = await eventsOf(tenant, async () => {
      await refused('POST', `${base}/lots/${lot.id}/aliases`, 409, { name: 'P-EAST' });
      await refused('POST', `${base}/lots/${lot.id}/aliases`, 409, { name: 'Lot V' });
      await t.admin('DELETE', `${base}/lots/${lot.id}/aliases/${alias.id}`);
      await t.admin('POST', `${base}/lots/${lot.id}/aliases`, { name: 'Nothing Here' });
    });
    expect(quiet).toEqual([]);
  });

  it('writes nothing for reads of any kind', async () => {
    const { tenant, base, vehicle, driver, ticket } = await ticketingTenant(t);
    const violation = await ticket();
    const lot: { id: number } = await t.admin('POST', `${base}/lots`, { name: 'Lot R', lot_type: 'M' });
    await t.admin('POST', `${base}/dntt`, { plate: 'AJNR123', start: at(-HOUR), end: at(DAY) });
    const pushed = await t.post(`/api/${tenant.code}/v1/permits/push`, {
      apiToken: tenant.token,
      plate: 'READ1',
      startTime: at(-HOUR).slice(0, 19),
      endTime: at(HOUR).slice(0, 19),
    });
    expect(pushed.status).toBe(200);
    const api = (path: string, body: Record<string, unknown> = {}) => t.post(`/api/${tenant.code}/v1/${path}`, { apiToken: tenant.token, ...body });

    const reads = await eventsOf(tenant, async () => {
      for (const path of [
        '/lots',
        '/permit-types',
        '/permits',
        '/users',
        `/users/${driver.id}`,
        '/vehicles',
        `/vehicles/${vehicle.id}`,
        '/violations',
        '/dntt',
        '/plates/AJNR123',
        '/collections-batches',
        '/locations',
        '/violation-types',
        '/pushed-permits',
        '/pushed-permits?disconnected=true&valid_at=now',
        '/dashboard',
        `/lots/${lot.id}/aliases`,
      ]) {
        await t.admin('GET', `${base}${path}`);
      }
      for (const [path, body] of [
        ['permits/stats', {}],
        ['permits/lot-values', {}],
        ['validate/plate/AJNR123', {}],
        ['changes', { wait: '0' }],
      ] as const) {
        expect((await api(path, body)).status, path).toBe(200);
      }
      expect(violation.id).toBeGreaterThan(0);
    });
    expect(reads).toEqual([]);
  });
});
