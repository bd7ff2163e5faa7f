import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminCommand, localTarget } from '../../src/admin/cli.js';
import { adminOperations } from '../../src/admin/operations.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';
import { createUser, createVehicle } from '../helpers/fixtures.js';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../src/webhooks/settings.js';

const WINDOW = { start: '2026-01-01T00:00:00-05:00', end: '2026-05-01T00:00:00Z' };

describe.each(DATABASES)('admin permit types and permits on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const adminCall = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  async function withType(tenant: Tenant) {
    await t.admin('POST', `/clients/${tenant.code}/lots`, {
      name: 'North Lot',
      lot_type: 'M',
      default_cost: '195.00',
      capacity: 5,
      tax_rate1: 5,
      tax_rate2: 8,
    });
    return t.admin('POST', `/clients/${tenant.code}/permit-types`, { short_name: 'LOT3', lot: 'north lot' });
  }

  describe('permit types', () => {
    it('creates (lot by name or id) and lists', async () => {
      const tenant = await t.tenant();
      const type = await withType(tenant);
      expect(type).toMatchObject({ short_name: 'LOT3', lot: 'North Lot' });
      const bike = await t.admin('POST', `/clients/${tenant.code}/permit-types`, { short_name: 'BIKE', lot: type.lot_id });
      expect(bike.lot_id).toBe(type.lot_id);
      const list = await t.admin('GET', `/clients/${tenant.code}/permit-types`);
      expect(list.items.map((item: { short_name: string }) => item.short_name)).toEqual(['LOT3', 'BIKE']);
      expect(list.next_cursor).toBeNull();
      const paged = await t.admin('GET', `/clients/${tenant.code}/permit-types?limit=1`);
      expect(paged.items).toHaveLength(1);
      expect(paged.next_cursor).toBe(type.id);
    });

    it('refuses a duplicate short name (409) and an unknown lot (404)', async () => {
      const tenant = await t.tenant();
      await withType(tenant);
      const duplicate = await adminCall('POST', `/clients/${tenant.code}/permit-types`, { short_name: 'lot3', lot: 'North Lot' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.field).toBe('short_name');
      const unknown = await adminCall('POST', `/clients/${tenant.code}/permit-types`, { short_name: 'X', lot: 'South Lot' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.field).toBe('lot');
    });
  });

  describe('standard permits', () => {
    it("issues one to a user's vehicles with taxes from the lot's rates, the amount defaulting to the lot's cost", async () => {
      const tenant = await t.tenant();
      const type = await withType(tenant);
      const user = await createUser(t.database.db, tenant.clientId);
      const car = await createVehicle(t.database.db, tenant.clientId, { plate: 'ABC 123', driver_user_ids: [user.id] });
      const bike = await createVehicle(t.database.db, tenant.clientId, { plate: 'MOTO-1' });
      const permit = await t.admin('POST', `/clients/${tenant.code}/permits`, {
        permit_type: type.id,
        user_id: user.id,
        vehicle_ids: [bike.id, car.id],
        ...WINDOW,
      });
      expect(permit).toMatchObject({
        kind: 'standard',
        type: 'standard',
        short_name: 'LOT3',
        lot: 'North Lot',
        user_id: user.id,
        vehicle_ids: [car.id, bike.id].sort((a, b) => a - b),
        plates: [],
        amount: '195.00000',
        tax_amount1: '9.75000',
        tax_amount2: '15.60000',
        deleted_at: null,
      });
      expect(new Date(permit.start_at).toISOString()).toBe('2026-01-01T05:00:00.000Z');
    });

    it('issues one to plates with the amount and taxes given, exactly', async () => {
      const tenant = await t.tenant();
      await withType(tenant);
      const permit = await t.admin('POST', `/clients/${tenant.code}/permits`, {
        permit_type: 'lot3',
        plates: ['xyz-789', 'XYZ 789', 'DEF1'],
        amount: '177.8783',
        tax_amount2: '1.23456',
        ...WINDOW,
      });
      expect(permit).toMatchObject({ plates: ['DEF1', 'xyz-789'], amount: '177.87830', tax_amount1: '8.89392', tax_amount2: '1.23456' });
    });

    it.each([
      [{ permit_type: 'NOPE' }, 404, 'permit_type'],
      [{ user_id: 999999 }, 404, 'user_id'],
      [{ vehicle_ids: [999999] }, 404, 'vehicle_ids'],
      [{ plates: [] }, 400, 'vehicle_ids'],
      [{ plates: ['- -'] }, 400, 'plates'],
      [{ end: WINDOW.start }, 400, 'end'],
      [{ start: '2026-02-30T00:00:00Z' }, 400, 'start'],
      [{ start: '2026-01-01' }, 400, 'start'],
      [{ amount: '1.123456' }, 400, 'amount'],
      [{ amount: -5 }, 400, 'amount'],
      [{ tax_amount1: 'ten' }, 400, 'tax_amount1'],
    ])('refuses %j with %i on %s', async (change, status, field) => {
      const tenant = await t.tenant();
      await withType(tenant);
      const response = await adminCall('POST', `/clients/${tenant.code}/permits`, { permit_type: 'LOT3', plates: ['ABC123'], ...WINDOW, ...change });
      expect(response.status).toBe(status);
      expect(response.body.field).toBe(field);
    });

    it("refuses another client's user and vehicle", async () => {
      const tenant = await t.tenant();
      const other = await t.tenant();
      await withType(tenant);
      const theirUser = await createUser(t.database.db, other.clientId);
      const theirCar = await createVehicle(t.database.db, other.clientId, { plate: 'THEIRS1' });
      expect(
        (await adminCall('POST', `/clients/${tenant.code}/permits`, { permit_type: 'LOT3', plates: ['A1'], user_id: theirUser.id, ...WINDOW })).status,
      ).toBe(404);
      expect((await adminCall('POST', `/clients/${tenant.code}/permits`, { permit_type: 'LOT3', vehicle_ids: [theirCar.id], ...WINDOW })).status).toBe(404);
    });
  });

  describe('listing', () => {
    it('lists both kinds, filters by normalised plate and by disconnected, and pages across kinds', async () => {
      const tenant = await t.tenant();
      await withType(tenant);
      const car = await createVehicle(t.database.db, tenant.clientId, { plate: 'AB-123' });
      const byVehicle = await t.admin('POST', `/clients/${tenant.code}/permits`, { permit_type: 'LOT3', vehicle_ids: [car.id], ...WINDOW });
      const byPlate = await t.admin('POST', `/clients/${tenant.code}/permits`, { permit_type: 'LOT3', plates: ['ab 123'], ...WINDOW });
      await t.admin('POST', `/clients/${tenant.code}/permits`, { permit_type: 'LOT3', plates: ['OTHER'], ...WINDOW });
      const push = (body: Record<string, unknown>) =>
        t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: tenant.token, startTime: '2026-01-01T00:00:00', endTime: '2026-01-02T00:00:00', ...body });
      const connected = (await push({ plate: 'AB.123', zone: 'North Lot', permitNo: 'N-1' })).body.reference_id;
      const lost = (await push({ plate: 'ZZZ1', zone: 'Nowhere' })).body.reference_id;

      const all = await t.admin('GET', `/clients/${tenant.code}/permits`);
      expect(all.items.map((item: { kind: string }) => item.kind)).toEqual(['standard', 'standard', 'standard', 'pushed', 'pushed']);
      const pushedItem = all.items[3];
      expect(pushedItem).toMatchObject({
        reference_id: connected,
        type: 'temp',
        short_name: 'North Lot',
        zone: 'North Lot',
        lot: 'North Lot',
        disconnected: false,
        plate: 'AB.123',
      });

      const plate = await t.admin('GET', `/clients/${tenant.code}/permits?plate=ab123`);
      expect(plate.items.map((item: { kind: string; id: number; reference_id?: string }) => item.reference_id ?? item.id)).toEqual([
        byVehicle.id,
        byPlate.id,
        connected,
      ]);

      const disconnected = await t.admin('GET', `/clients/${tenant.code}/permits?disconnected=true`);
      expect(disconnected.items).toHaveLength(1);
      expect(disconnected.items[0]).toMatchObject({ reference_id: lost, zone: 'Nowhere', lot: null, disconnected: true, short_name: 'Nowhere' });

      const seen: string[] = [];
      let cursor: number | null = 0;
      while (cursor !== null) {
        const page: { items: Array<{ kind: string; id: number }>; next_cursor: number | null } = await t.admin(
          'GET',
          `/clients/${tenant.code}/permits?limit=2&cursor=${cursor}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => `${item.kind}:${item.id}`));
        cursor = page.next_cursor;
      }
      expect(seen).toEqual(all.items.map((item: { kind: string; id: number }) => `${item.kind}:${item.id}`));
    });

    it('shows a pushed permit without a zone under its permit number', async () => {
      const tenant = await t.tenant();
      await t.post(`/api/${tenant.code}/v1/permits/push`, {
        apiToken: tenant.token,
        plate: 'NZ1',
        permitNo: 'RCPT-9',
        startTime: '2026-01-01T00:00:00',
        endTime: '2026-01-02T00:00:00',
      });
      const list = await t.admin('GET', `/clients/${tenant.code}/permits`);
      expect(list.items[0]).toMatchObject({ short_name: 'RCPT-9', zone: null, disconnected: false });
    });
  });

  it('works from the CLI on the same service code: permit types, standard permits, listing', async () => {
    const tenant = await t.tenant();
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Bike Shed', lot_type: 'O' });
    const services = { db: t.database.db, auth: t.app.auth, audit: t.app.audit, webhooks: DEFAULT_WEBHOOK_SETTINGS, close: async () => {} };
    const cli = async (...args: string[]) => {
      const output: string[] = [];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
      try {
        await adminCommand(adminOperations, async () => localTarget(async () => services)).parseAsync(args, { from: 'user' });
      } finally {
        write.mockRestore();
      }
      return JSON.parse(output.join(''));
    };
    const type = await cli('permit-types', 'create', '--client', tenant.code, '--short-name', 'BIKE', '--lot', 'Bike Shed', '--json');
    expect(type).toMatchObject({ short_name: 'BIKE', lot: 'Bike Shed' });
    const permit = await cli(
      'permits',
      'create',
      '--client',
      tenant.code,
      '--permit-type',
      'BIKE',
      '--plates',
      'CYCLE1,CYCLE2',
      '--start',
      WINDOW.start,
      '--end',
      WINDOW.end,
      '--amount',
      '12.50',
      '--json',
    );
    expect(permit).toMatchObject({ kind: 'standard', short_name: 'BIKE', plates: ['CYCLE1', 'CYCLE2'], amount: '12.50000', tax_amount1: '0.00000' });
    const list = await cli('permits', 'list', '--client', tenant.code, '--plate', 'cycle-2', '--json');
    expect(list.items.map((item: { id: number }) => item.id)).toEqual([permit.id]);
  });
});
