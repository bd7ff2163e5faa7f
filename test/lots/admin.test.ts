import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
/** A pushed time (`Y-m-d\TH:i:s`, UTC) relative to now. */
const local = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);

interface Lot {
  id: number;
  name: string;
  lot_type: string;
  default_cost: string;
  capacity: number;
  tax_rate1: string;
  tax_rate2: string;
}

describe.each(DATABASES)('lots update and zone aliases on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const call = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  /** A refused call: its status and `{error, field}`. */
  const refusal = async (method: string, url: string, payload?: unknown) => {
    const response = await call(method, url, payload);
    return [response.statusCode, response.json()];
  };
  const newLot = (tenant: Tenant, name: string, extra: Record<string, unknown> = {}): Promise<Lot> =>
    t.admin('POST', `/clients/${tenant.code}/lots`, { name, lot_type: 'M', ...extra });
  const push = async (tenant: Tenant, body: Record<string, unknown>) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: tenant.token, startTime: local(-HOUR), endTime: local(HOUR), ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.reference_id as string;
  };
  const api = async (tenant: Tenant, path: string, body: Record<string, unknown> = {}) => {
    const response = await t.post(`/api/${tenant.code}/v1/${path}`, { apiToken: tenant.token, ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  describe('PATCH /clients/:code/lots/:id', () => {
    it('changes only the given attributes and answers the lot', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Lot A', { default_cost: '10.00', capacity: 5, tax_rate1: 5 });
      const renamed = await t.admin('PATCH', `/clients/${tenant.code}/lots/${lot.id}`, { name: '  Lot A East ', capacity: 12 });
      expect(renamed).toMatchObject({ id: lot.id, name: 'Lot A East', lot_type: 'M', default_cost: '10.00', capacity: 12, tax_rate1: '5.000' });
      const all = await t.admin('PATCH', `/clients/${tenant.code}/lots/${lot.id}`, {
        lot_type: 's',
        default_cost: 12.5,
        tax_rate1: 0,
        tax_rate2: 13,
      });
      expect(all).toMatchObject({ name: 'Lot A East', lot_type: 'S', default_cost: '12.50', capacity: 12, tax_rate1: '0.000', tax_rate2: '13.000' });
      // its own name in another case is no conflict
      expect(await t.admin('PATCH', `/clients/${tenant.code}/lots/${lot.id}`, { name: 'LOT A EAST' })).toMatchObject({ name: 'LOT A EAST' });
      const listed = await t.admin('GET', `/clients/${tenant.code}/lots`);
      expect(listed.items).toEqual([{ ...all, name: 'LOT A EAST' }]);
      // the lot value report follows
      const values = await api(tenant, 'permits/lot-values');
      expect(values[0]).toMatchObject({ lot_type: 'S', lot_name: 'LOT A EAST', default_cost: 12.5, total_permits: 12 });
    });

    it('refuses each bad attribute with its field, and changes nothing', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Lot B');
      const url = `/clients/${tenant.code}/lots/${lot.id}`;
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ name: '' }, 'name', 'name: must not be empty'],
        [{ name: '   ' }, 'name', 'name must be 1-200 characters'],
        [{ name: 'x'.repeat(201) }, 'name', 'name: must be at most 200 characters'],
        [{ name: 7 }, 'name', 'name: must be text'],
        [{ lot_type: 'X' }, 'lot_type', 'lot_type must be Y, M, S or O'],
        [{ default_cost: '1.234' }, 'default_cost', 'default_cost: must be an amount up to 9999999999.99 with at most two decimals, e.g. 12.50'],
        [{ default_cost: -1 }, 'default_cost', 'default_cost: must be an amount up to 9999999999.99 with at most two decimals, e.g. 12.50'],
        [{ capacity: -1 }, 'capacity', 'capacity: must be at least 0'],
        [{ capacity: 1.5 }, 'capacity', 'capacity: must be a whole number (permit capacity)'],
        [{ capacity: 2_147_483_648 }, 'capacity', 'capacity: must be at most 2147483647'],
        [{ tax_rate1: 101 }, 'tax_rate1', 'tax_rate1: must be at most 100'],
        [{ tax_rate2: -0.5 }, 'tax_rate2', 'tax_rate2: must be at least 0'],
        [{ name: 'Fine', capacity: 'ten' }, 'capacity', 'capacity: must be a whole number (permit capacity)'],
      ];
      for (const [body, field, error] of cases) {
        expect(await refusal('PATCH', url, body), JSON.stringify(body)).toEqual([400, { error, field }]);
      }
      expect(await refusal('PATCH', url, {})).toEqual([400, { error: 'give at least one of name, lot_type, default_cost, capacity, tax_rate1, tax_rate2' }]);
      expect((await t.admin('GET', `/clients/${tenant.code}/lots`)).items).toEqual([lot]);
    });

    it('answers 404 for an unknown lot or another client’s, 409 for a name taken by a lot or an alias', async () => {
      const tenant = await t.tenant();
      const other = await t.tenant();
      const lot = await newLot(tenant, 'Lot C');
      const taken = await newLot(tenant, 'Lot D');
      const elsewhere = await newLot(other, 'Lot E');
      await t.admin('POST', `/clients/${tenant.code}/lots/${taken.id}/aliases`, { name: 'Pay Zone 9' });
      expect(await refusal('PATCH', `/clients/${tenant.code}/lots/999999`, { capacity: 1 })).toEqual([404, { error: 'no lot with id 999999', field: 'id' }]);
      expect((await call('PATCH', `/clients/${tenant.code}/lots/${elsewhere.id}`, { capacity: 1 })).statusCode).toBe(404);
      expect(await refusal('PATCH', `/clients/${tenant.code}/lots/0`, { capacity: 1 })).toEqual([400, { error: 'id: must be at least 1', field: 'id' }]);
      expect(await refusal('PATCH', `/clients/${tenant.code}/lots/${lot.id}`, { name: ' lot d ' })).toEqual([
        409,
        { error: 'a lot named Lot D already exists', field: 'name' },
      ]);
      expect(await refusal('PATCH', `/clients/${tenant.code}/lots/${lot.id}`, { name: 'PAY ZONE 9' })).toEqual([
        409,
        { error: 'PAY ZONE 9 is already a zone alias of the lot Lot D', field: 'name' },
      ]);
      expect(await refusal('POST', `/clients/${tenant.code}/lots`, { name: 'pay zone 9', lot_type: 'M' })).toEqual([
        409,
        { error: 'pay zone 9 is already a zone alias of the lot Lot D', field: 'name' },
      ]);
      // another client's names are no conflict
      expect(await t.admin('PATCH', `/clients/${other.code}/lots/${elsewhere.id}`, { name: 'Lot D' })).toMatchObject({ name: 'Lot D' });
    });

    it('keeps the permits a lot holds when it is renamed; later pushes must name the new name', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Old Name');
      await push(tenant, { plate: 'REN 1', zone: 'Old Name' });
      await t.admin('PATCH', `/clients/${tenant.code}/lots/${lot.id}`, { name: 'New Name' });
      expect((await api(tenant, 'permits/stats')).data).toEqual([{ type: 'temp', zone: 'New Name', total: '1' }]);
      await push(tenant, { plate: 'REN 2', zone: 'old name' });
      await push(tenant, { plate: 'REN 3', zone: 'new name' });
      const listed = await t.admin('GET', `/clients/${tenant.code}/pushed-permits`);
      expect(listed.items.map((item: { plate: string; lot: string | null; disconnected: boolean }) => [item.plate, item.lot, item.disconnected])).toEqual([
        ['REN 3', 'New Name', false],
        ['REN 2', null, true],
        ['REN 1', 'New Name', false],
      ]);
    });
  });

  describe('zone aliases', () => {
    it('creates, lists and deletes a lot’s aliases', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Lot F');
      const base = `/clients/${tenant.code}/lots/${lot.id}/aliases`;
      const first = await call('POST', base, { name: '  P-F North ' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ lot_id: lot.id, name: 'P-F North', reconnected_permits: 0 });
      const second = await t.admin('POST', base, { name: 'P-F South' });
      expect((await t.admin('GET', base)).items.map((alias: { name: string }) => alias.name)).toEqual(['P-F North', 'P-F South']);
      const paged = await t.admin('GET', `${base}?limit=1`);
      expect([paged.items.length, paged.next_cursor]).toEqual([1, first.json().id]);
      expect((await t.admin('GET', `${base}?cursor=${paged.next_cursor}`)).items).toEqual([second]);
      expect(await t.admin('DELETE', `${base}/${first.json().id}`)).toMatchObject({ id: first.json().id, name: 'P-F North' });
      expect((await t.admin('GET', base)).items).toEqual([second]);
      expect(await refusal('DELETE', `${base}/${first.json().id}`)).toEqual([
        404,
        { error: `lot ${lot.id} has no zone alias with id ${first.json().id}`, field: 'alias_id' },
      ]);
      // the name is free again
      expect((await call('POST', base, { name: 'p-f north' })).statusCode).toBe(201);
    });

    it('refuses a name taken by any lot or alias of the client (409), a blank or long one (400), an unknown lot (404)', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Lot G');
      const other = await newLot(tenant, 'Lot H');
      const base = `/clients/${tenant.code}/lots/${lot.id}/aliases`;
      await t.admin('POST', `/clients/${tenant.code}/lots/${other.id}/aliases`, { name: 'Gate 2' });
      await t.admin('POST', base, { name: 'Gate 1' });
      expect(await refusal('POST', base, { name: 'lot h' })).toEqual([409, { error: 'a lot named Lot H already exists', field: 'name' }]);
      expect(await refusal('POST', base, { name: 'LOT G' })).toEqual([409, { error: 'a lot named Lot G already exists', field: 'name' }]);
      expect(await refusal('POST', base, { name: ' gate 1 ' })).toEqual([409, { error: 'gate 1 is already a zone alias of the lot Lot G', field: 'name' }]);
      expect(await refusal('POST', base, { name: 'GATE 2' })).toEqual([409, { error: 'GATE 2 is already a zone alias of the lot Lot H', field: 'name' }]);
      expect(await refusal('POST', base, { name: '   ' })).toEqual([400, { error: 'name: must not be empty', field: 'name' }]);
      expect(await refusal('POST', base, { name: 'x'.repeat(201) })).toEqual([400, { error: 'name: must be at most 200 characters', field: 'name' }]);
      expect(await refusal('POST', base, {})).toEqual([400, { error: 'name: required', field: 'name' }]);
      expect(await refusal('POST', `/clients/${tenant.code}/lots/999999/aliases`, { name: 'Gate 3' })).toEqual([
        404,
        { error: 'no lot with id 999999', field: 'id' },
      ]);
      expect(await refusal('GET', `/clients/${tenant.code}/lots/999999/aliases`)).toEqual([404, { error: 'no lot with id 999999', field: 'id' }]);
      const stranger = await t.tenant();
      expect((await call('POST', `/clients/${stranger.code}/lots/${lot.id}/aliases`, { name: 'Gate 4' })).statusCode).toBe(404);
      expect((await call('DELETE', `/clients/${stranger.code}/lots/${lot.id}/aliases/1`)).statusCode).toBe(404);
    });

    it('reconnects the zone’s disconnected permits at once: stats, lot values, the dashboard and later pushes follow', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Main Garage', { capacity: 10, default_cost: '3.00' });
      await push(tenant, { plate: 'RC 1', zone: 'PS-17', amount: '2.50' });
      await push(tenant, { plate: 'RC 2', zone: ' PS-17 ', amount: '4.00' });
      const deleted = await push(tenant, { plate: 'RC 3', zone: 'PS-17', amount: '9.00' });
      await api(tenant, 'permits/delete', { reference_id: deleted });
      await push(tenant, { plate: 'RC 4', zone: 'PS-18' });

      // before: disconnected, counted under the zone as sent, not in the lot
      expect((await api(tenant, 'permits/stats')).data).toEqual([
        { type: 'temp', zone: 'PS-17', total: '2' },
        { type: 'temp', zone: 'PS-18', total: '1' },
      ]);
      expect((await api(tenant, 'permits/lot-values'))[0]).toMatchObject({ lot_name: 'Main Garage', rented_permits: 0, amount: 0 });
      expect((await t.admin('GET', `/clients/${tenant.code}/dashboard`)).disconnected_permits).toBe(3);

      const alias = await call('POST', `/clients/${tenant.code}/lots/${lot.id}/aliases`, { name: 'Ps-17' });
      expect([alias.statusCode, alias.json().reconnected_permits]).toEqual([201, 3]);

      expect((await api(tenant, 'permits/stats')).data).toEqual([
        { type: 'temp', zone: 'Main Garage', total: '2' },
        { type: 'temp', zone: 'PS-18', total: '1' },
      ]);
      // a zones filter naming the alias or the lot counts the lot's permits
      for (const zones of ['ps-17', 'MAIN GARAGE', ' Ps-17 ,']) {
        expect((await api(tenant, 'permits/stats', { zones })).data, zones).toEqual([{ type: 'temp', zone: 'Main Garage', total: '2' }]);
      }
      expect((await api(tenant, 'permits/lot-values'))[0]).toMatchObject({
        lot_name: 'Main Garage',
        rented_permits: 2,
        utilized_pct: 20,
        amount_projected: 6,
        amount: 6.5,
        total: 6.5,
      });
      const dashboard = await t.admin('GET', `/clients/${tenant.code}/dashboard`);
      expect([dashboard.disconnected_permits, dashboard.lots[0].pushed_permits]).toEqual([1, 2]);
      const disconnected = await t.admin('GET', `/clients/${tenant.code}/pushed-permits?disconnected=true`);
      expect(disconnected.items.map((item: { plate: string }) => item.plate)).toEqual(['RC 4']);
      // plate validation is unchanged: the permit was valid before and after, under its zone as sent
      const validated = await t.post('/api/v1/validate/plate', { api_token: tenant.token, client: tenant.code, plate: 'RC1' });
      expect(validated.body.data.responseJSON.permits).toMatchObject([{ type: 'temp', shortName: 'PS-17' }]);

      // a later push of the alias lands in the lot
      await push(tenant, { plate: 'RC 5', zone: 'PS-17 ' });
      const latest = await t.admin('GET', `/clients/${tenant.code}/pushed-permits?limit=1`);
      expect(latest.items[0]).toMatchObject({ plate: 'RC 5', zone: 'PS-17', lot: 'Main Garage', disconnected: false });

      // deleting the alias keeps what it reconnected; the next push of that zone is disconnected again
      await t.admin('DELETE', `/clients/${tenant.code}/lots/${lot.id}/aliases/${alias.json().id}`);
      expect((await api(tenant, 'permits/stats', { zones: 'Main Garage' })).data).toEqual([{ type: 'temp', zone: 'Main Garage', total: '3' }]);
      await push(tenant, { plate: 'RC 6', zone: 'PS-17' });
      const after = await t.admin('GET', `/clients/${tenant.code}/pushed-permits?zone=ps-17`);
      expect(after.items.map((item: { plate: string; disconnected: boolean }) => [item.plate, item.disconnected])).toEqual([
        ['RC 6', true],
        ['RC 5', false],
        ['RC 3', false],
        ['RC 2', false],
        ['RC 1', false],
      ]);
    });

    it('reconnects more permits than one statement moves', async () => {
      const tenant = await t.tenant();
      const lot = await newLot(tenant, 'Big Lot');
      // many disconnected permits, written directly: a push each would only make the test slow
      await t.database.db
        .insertInto('pushed_permits')
        .values(
          Array.from({ length: 1203 }, (_, index) => ({
            client_id: tenant.clientId,
            reference_id: crypto.randomUUID(),
            integration_id: tenant.integrationId,
            plate: `BULK${index}`,
            plate_norm: `BULK${index}`,
            amount: '1.00',
            currency: 'CAD',
            start_at: new Date(Date.now() - HOUR).toISOString(),
            end_at: new Date(Date.now() + HOUR).toISOString(),
            permit_no: null,
            ticket_number: null,
            zone_name: 'Bulk Zone',
            lot_id: null,
            disconnected: true,
            promo_code: null,
          })),
        )
        .execute();
      const alias = await t.admin('POST', `/clients/${tenant.code}/lots/${lot.id}/aliases`, { name: 'bulk zone' });
      expect(alias.reconnected_permits).toBe(1203);
      expect((await api(tenant, 'permits/lot-values'))[0]).toMatchObject({ rented_permits: 1203, amount: 1203 });
      const feed = await t.app.inject({
        method: 'GET',
        url: `/api/${tenant.code}/v1/changes?after=0&limit=1000&types=permit.updated`,
        headers: { authorization: `Bearer ${tenant.token}` },
      });
      const events = feed.json<{ events: { seq: number; data: { plate: string } }[] }>().events;
      expect(events.length).toBe(1000);
      const seqs = events.map((event) => event.seq);
      expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));
    });
  });
});
