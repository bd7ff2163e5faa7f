import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCases } from '../helpers/auth-cases.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
/** A pushed time (`Y-m-d\TH:i:s`, UTC) relative to now. */
const local = (offsetMs: number) => iso(offsetMs).slice(0, 19);
const VALID_NOW = { start: iso(-DAY), end: iso(30 * DAY) };

const LOT_VALUE_KEYS = [
  'lot_type',
  'lot_name',
  'default_cost',
  'total_permits',
  'rented_permits',
  'utilized_pct',
  'amount_projected',
  'amount',
  'tax_amount',
  'tax_amount1',
  'tax_amount2',
  'total',
];

describe.each(DATABASES)('permits/stats and permits/lot-values on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const stats = (tenant: Tenant, body: Record<string, unknown> = {}) => t.post(`/api/${tenant.code}/v1/permits/stats`, { apiToken: tenant.token, ...body });
  const push = async (tenant: Tenant, body: Record<string, unknown>) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/push`, {
      apiToken: tenant.token,
      plate: `P${Math.random().toString(36).slice(2, 8)}`,
      startTime: local(-HOUR),
      endTime: local(HOUR),
      ...body,
    });
    expect(response.status).toBe(200);
    return response.body.reference_id as string;
  };
  const lot = (tenant: Tenant, name: string, extra: Record<string, unknown> = {}) =>
    t.admin('POST', `/clients/${tenant.code}/lots`, { name, lot_type: 'M', default_cost: 100, capacity: 10, tax_rate1: 5, tax_rate2: 8, ...extra });
  const permitType = (tenant: Tenant, shortName: string, lotName: string) =>
    t.admin('POST', `/clients/${tenant.code}/permit-types`, { short_name: shortName, lot: lotName });
  const standard = (tenant: Tenant, body: Record<string, unknown>) =>
    t.admin('POST', `/clients/${tenant.code}/permits`, { plates: [`S${Math.random().toString(36).slice(2, 8)}`], ...VALID_NOW, ...body });

  authCases(() => t, { url: (code) => `/api/${code}/v1/permits/stats`, scope: 'permit-stats' });
  authCases(() => t, { url: (code) => `/api/${code}/v1/permits/lot-values`, scope: 'lot-values' });

  describe('stats', () => {
    it('answers {"data":[]} when no permit is valid', async () => {
      const tenant = await t.tenant();
      const response = await stats(tenant, { zones: 'NOT-REQUIRED--LIST-OF-ZONES' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: [] });
      expect((await stats(tenant)).body).toEqual({ data: [] });
    });

    it('counts permits valid now of both kinds by type and zone, ordered by zone then type, totals as strings', async () => {
      const tenant = await t.tenant();
      await lot(tenant, 'zone1');
      await lot(tenant, 'Lot 02');
      await permitType(tenant, 'Z1', 'zone1');
      await permitType(tenant, 'L2', 'Lot 02');
      for (let i = 0; i < 4; i++) await standard(tenant, { permit_type: 'Z1' });
      await standard(tenant, { permit_type: 'L2' });
      await standard(tenant, { permit_type: 'L2', start: iso(-10 * DAY), end: iso(-DAY) });
      await standard(tenant, { permit_type: 'L2', start: iso(DAY), end: iso(10 * DAY) });
      for (let i = 0; i < 3; i++) await push(tenant, { zone: 'ZONE1 ' });
      await push(tenant, { zone: 'lot 02' });
      await push(tenant, { zone: 'Street parking' });
      await push(tenant, { zone: 'zone1', startTime: local(-3 * HOUR), endTime: local(-2 * HOUR) });
      await push(tenant, { zone: 'zone1', startTime: local(2 * HOUR), endTime: local(3 * HOUR) });
      const deleted = await push(tenant, { zone: 'zone1' });
      await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: tenant.token, referenceID: deleted });
      const integration = await t.admin('POST', `/clients/${tenant.code}/integrations`, { name: 'HotSpot app', origin: 'HotSpot' });
      const hotspotToken = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: integration.id, scopes: ['permit-create'] });
      await push({ ...tenant, token: hotspotToken.token }, { zone: 'zone1' });
      await push(tenant, { permitNo: 'NO-ZONE' });

      const response = await stats(tenant);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: [
          { type: 'temp', zone: '', total: '1' },
          { type: 'standard', zone: 'Lot 02', total: '1' },
          { type: 'temp', zone: 'Lot 02', total: '1' },
          { type: 'temp', zone: 'Street parking', total: '1' },
          { type: 'HotSpot', zone: 'zone1', total: '1' },
          { type: 'standard', zone: 'zone1', total: '4' },
          { type: 'temp', zone: 'zone1', total: '3' },
        ],
      });

      const filtered = await stats(tenant, { zones: ' ZONE1 , street PARKING,,Nowhere' });
      expect(filtered.body).toEqual({
        data: [
          { type: 'temp', zone: 'Street parking', total: '1' },
          { type: 'HotSpot', zone: 'zone1', total: '1' },
          { type: 'standard', zone: 'zone1', total: '4' },
          { type: 'temp', zone: 'zone1', total: '3' },
        ],
      });
      expect((await stats(tenant, { zones: 'Nowhere' })).body).toEqual({ data: [] });
    });

    it("counts only the caller's client", async () => {
      const mine = await t.tenant();
      const theirs = await t.tenant();
      await push(theirs, { zone: 'Shared name' });
      expect((await stats(mine)).body).toEqual({ data: [] });
    });

    it('answers 9033 for zones that are not a string', async () => {
      const tenant = await t.tenant();
      const response = await stats(tenant, { zones: ['zone1'] });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ ErrorCode: 9033, field: 'zones' });
    });

    it('counts up to 1 000 distinct zones and answers 9030 beyond, however long the list', async () => {
      const tenant = await t.tenant();
      await push(tenant, { zone: 'Zone 999' });
      const names = (count: number) => Array.from({ length: count }, (_, i) => `Zone ${i}`).join(',');
      const atLimit = await stats(tenant, { zones: `${names(1000)},zone 0,ZONE 1` });
      expect(atLimit.status).toBe(200);
      expect(atLimit.body.data).toEqual([expect.objectContaining({ zone: 'Zone 999', total: '1' })]);
      for (const count of [1001, 40_000]) {
        const over = await stats(tenant, { zones: names(count) });
        expect([over.status, over.body]).toEqual([
          400,
          { ErrorCode: 9030, ErrorMessage: "The field's maximum number of characters was exceeded.", field: 'zones' },
        ]);
      }
    });
  });

  describe('lot-values', () => {
    async function semesterEast(tenant: Tenant) {
      await lot(tenant, 'TU Semester East', { lot_type: 'S', default_cost: 100, capacity: 21 });
      await lot(tenant, 'TU Visitors', { default_cost: 11, capacity: 0 });
      await lot(tenant, 'TU South Garage', { default_cost: 75, capacity: 3000 });
      await permitType(tenant, 'SEM-E', 'TU Semester East');
      await permitType(tenant, 'GARAGE', 'TU South Garage');
      for (let i = 0; i < 16; i++) await standard(tenant, { permit_type: 'SEM-E', amount: '170.00' });
      await standard(tenant, { permit_type: 'SEM-E', amount: '177.8783' });
      await standard(tenant, { permit_type: 'SEM-E', amount: '99.00', start: iso(-10 * DAY), end: iso(-DAY) });
      await standard(tenant, { permit_type: 'GARAGE', amount: 75 });
      await standard(tenant, { permit_type: 'GARAGE' });
      await standard(tenant, { permit_type: 'GARAGE', amount: '10.00', tax_amount1: '0.11111', tax_amount2: 0 });
      // a pushed permit in the lot is rented too: its amount as paid, no tax split
      await push(tenant, { zone: 'TU South Garage', amount: '5.00' });
    }

    it("reproduces the seed's arithmetic: 5 % and 8 % on 2897.8783, utilisation, projection, rounding", async () => {
      const tenant = await t.tenant();
      await semesterEast(tenant);
      const response = await t.post(`/api/${tenant.code}/v1/permits/lot-values`, { apiToken: tenant.token });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          lot_type: 'S',
          lot_name: 'TU Semester East',
          default_cost: 100,
          total_permits: 21,
          rented_permits: 17,
          utilized_pct: 80.95,
          amount_projected: 1700,
          amount: 2897.8783,
          tax_amount: 0,
          tax_amount1: 144.89392,
          tax_amount2: 231.83026,
          total: 3274.6,
        },
        {
          lot_type: 'M',
          lot_name: 'TU Visitors',
          default_cost: 11,
          total_permits: 0,
          rented_permits: 0,
          utilized_pct: null,
          amount_projected: 0,
          amount: 0,
          tax_amount: 0,
          tax_amount1: 0,
          tax_amount2: 0,
          total: 0,
        },
        // 75 + 75 (the default cost) + 10 with the admin's own taxes 0.11111 and 0, and the pushed 5.00
        {
          lot_type: 'M',
          lot_name: 'TU South Garage',
          default_cost: 75,
          total_permits: 3000,
          rented_permits: 4,
          utilized_pct: 0.13,
          amount_projected: 300,
          amount: 165,
          tax_amount: 0,
          tax_amount1: 7.61111,
          tax_amount2: 12,
          total: 184.61,
        },
      ]);
      for (const item of response.body) expect(Object.keys(item)).toEqual(LOT_VALUE_KEYS);
    });

    it('answers a GET with a JSON body, a POST, and a GET with only a Bearer header alike', async () => {
      const tenant = await t.tenant();
      await lot(tenant, 'Solus Tech Inc', { default_cost: 183, capacity: 15 });
      await permitType(tenant, 'SOLUS', 'Solus Tech Inc');
      await standard(tenant, { permit_type: 'SOLUS' });
      await standard(tenant, { permit_type: 'SOLUS' });
      const expected = [
        {
          lot_type: 'M',
          lot_name: 'Solus Tech Inc',
          default_cost: 183,
          total_permits: 15,
          rented_permits: 2,
          utilized_pct: 13.33,
          amount_projected: 366,
          amount: 366,
          tax_amount: 0,
          tax_amount1: 18.3,
          tax_amount2: 29.28,
          total: 413.58,
        },
      ];
      const url = `/api/${tenant.code}/v1/permits/lot-values`;
      const get = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ apiToken: tenant.token }),
      });
      expect(get.statusCode).toBe(200);
      expect(get.json()).toEqual(expected);
      expect((await t.post(url, { apiToken: tenant.token })).body).toEqual(expected);
      const bearer = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tenant.token}` } });
      expect(bearer.statusCode).toBe(200);
      expect(bearer.json()).toEqual(expected);
    });

    it('answers a client without lots with an empty array, and never shows another client', async () => {
      const mine = await t.tenant();
      const theirs = await t.tenant();
      await lot(theirs, 'Their lot');
      expect((await t.post(`/api/${mine.code}/v1/permits/lot-values`, { apiToken: mine.token })).body).toEqual([]);
    });
  });

  describe('read-your-write: every write is seen by the next stats or lot-values call, though answers are shared for a second', () => {
    const lotNames = async (tenant: Tenant) =>
      (await t.post(`/api/${tenant.code}/v1/permits/lot-values`, { apiToken: tenant.token })).body as { lot_name: string; rented_permits: number }[];
    const counted = async (tenant: Tenant) => (await stats(tenant)).body.data as { type: string; zone: string; total: string }[];

    it('a lot, a permit type, a standard permit and a new integration origin', async () => {
      const tenant = await t.tenant();
      expect(await lotNames(tenant)).toEqual([]);
      expect(await counted(tenant)).toEqual([]);
      await lot(tenant, 'Fresh lot');
      expect((await lotNames(tenant)).map((row) => row.lot_name)).toEqual(['Fresh lot']);
      await permitType(tenant, 'FR', 'Fresh lot');
      await standard(tenant, { permit_type: 'FR' });
      expect(await counted(tenant)).toEqual([{ type: 'standard', zone: 'Fresh lot', total: '1' }]);
      expect((await lotNames(tenant))[0]?.rented_permits).toBe(1);
      const integration = await t.admin('POST', `/clients/${tenant.code}/integrations`, { name: 'Kiosk', origin: 'Kiosk' });
      const kioskToken = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: integration.id, scopes: ['permit-create'] });
      await push({ ...tenant, token: kioskToken.token }, { zone: 'Fresh lot' });
      expect(await counted(tenant)).toEqual([
        { type: 'Kiosk', zone: 'Fresh lot', total: '1' },
        { type: 'standard', zone: 'Fresh lot', total: '1' },
      ]);
    });

    it('a pushed permit pushed, ended by an update, and deleted', async () => {
      const tenant = await t.tenant();
      expect(await counted(tenant)).toEqual([]);
      const first = await push(tenant, { zone: 'Z9', startTime: local(-2 * HOUR) });
      const second = await push(tenant, { zone: 'Z9' });
      expect(await counted(tenant)).toEqual([{ type: 'temp', zone: 'Z9', total: '2' }]);
      const ended = await t.post(`/api/${tenant.code}/v1/permits/update`, { apiToken: tenant.token, referenceID: first, endTime: local(-HOUR) });
      expect(ended.status).toBe(200);
      expect(await counted(tenant)).toEqual([{ type: 'temp', zone: 'Z9', total: '1' }]);
      const deleted = await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: tenant.token, referenceID: second });
      expect(deleted.status).toBe(200);
      expect(await counted(tenant)).toEqual([]);
    });

    it('a write inside a transaction that rolls back changes nothing, a committed one is seen at once', async () => {
      const tenant = await t.tenant();
      expect(await lotNames(tenant)).toEqual([]);
      await expect(
        t.database.db.transaction().execute(async (trx) => {
          await trx.insertInto('lots').values({ client_id: tenant.clientId, name: 'Rolled back', lot_type: 'M', default_cost: '1', capacity: 1 }).execute();
          throw new Error('abandon');
        }),
      ).rejects.toThrow('abandon');
      expect(await lotNames(tenant)).toEqual([]);
      await t.database.db.transaction().execute(async (trx) => {
        await trx.insertInto('lots').values({ client_id: tenant.clientId, name: 'Committed', lot_type: 'M', default_cost: '1', capacity: 1 }).execute();
      });
      expect((await lotNames(tenant)).map((row) => row.lot_name)).toEqual(['Committed']);
    });
  });

  it('demo data: the demo client reproduces the seed sample at once', async () => {
    const { ensureDemo } = await import('../../src/demo/index.js');
    const { token, clientCode } = await ensureDemo(t.database.db);
    const values = await t.post(`/api/${clientCode}/v1/permits/lot-values`, { apiToken: token });
    const east = values.body.find((row: { lot_name: string }) => row.lot_name === 'TU Semester East');
    expect(east).toEqual({
      lot_type: 'S',
      lot_name: 'TU Semester East',
      default_cost: 100,
      total_permits: 21,
      rented_permits: 17,
      utilized_pct: 80.95,
      amount_projected: 1700,
      amount: 2897.8783,
      tax_amount: 0,
      tax_amount1: 144.89392,
      tax_amount2: 231.83026,
      total: 3274.6,
    });
    const central = values.body.find((row: { lot_name: string }) => row.lot_name === 'TU Semester Central');
    expect(central).toMatchObject({ rented_permits: 3, amount: 313.08447, tax_amount1: 15.65422, tax_amount2: 25.04676, total: 353.79 });
    const counted = await t.post(`/api/${clientCode}/v1/permits/stats`, { apiToken: token, zones: 'Lot 4' });
    expect(counted.body).toEqual({ data: [{ type: 'temp', zone: 'Lot 4', total: '2' }] });
    const disconnected = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/clients/${clientCode}/permits?disconnected=true`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(disconnected.json().items).toHaveLength(1);
  });
});
