import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';
import { DATABASES, startTestApp, type TestApp, type Tenant } from '../helpers/app.js';
import { authCases } from '../helpers/auth-cases.js';

/** The seed's raw request example: ids given under the name keys make and type. */
const SEED_RAW = { plate: 'PL8RDR', plateType: 'Motorcycle', prov: 'MA', make: '8', type: '3', colour: 'red', year: '2011', vin: '8GKS1AKC7FR518845' };
/** The seed's JavaScript request example: names throughout. */
const SEED_JS = {
  plate: 'PL8RDR',
  plateType: 'Motorcycle',
  prov: 'MA',
  make: 'kia',
  type: 'commercial',
  colour: 'red',
  year: '2021',
  vin: '8GKS1AKC7FR518845',
};

describe.each(DATABASES)('vehicles/push on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
  });
  afterAll(() => t.close());

  const url = (code: string) => `/api/${code}/v1/vehicles/push`;
  const push = (body: Record<string, unknown>, who: Tenant = tenant) => t.post(url(who.code), { apiToken: who.token, ...body });
  const vehicle = (id: string, who: Tenant = tenant) => t.admin('GET', `/clients/${who.code}/vehicles/${id}`);
  let plateCounter = 0;
  const plate = () => `VP${kind.slice(0, 2).toUpperCase()}${++plateCounter}`;

  authCases(() => t, { url, scope: 'vehicle-create', body: { plate: 'AUTH1', plateTypeID: '4', provID: '9' } });

  it("accepts the seed's raw example: numeric make and type are ids", async () => {
    const fresh = await t.tenant();
    const response = await push(SEED_RAW, fresh);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'success', vehicle_id_id: expect.stringMatching(/^\d+$/), vehicle_id: response.body.vehicle_id_id, warnings: [] });
    const saved = await vehicle(response.body.vehicle_id_id, fresh);
    expect(saved).toMatchObject({
      plate: 'PL8RDR',
      plate_type: 'Motorcycle',
      province: 'Massachusetts',
      province_code: 'MA',
      make_id: 8,
      make: 'Ford',
      vehicle_type_id: 3,
      vehicle_type: 'Truck',
      colour: 'Red',
      year: 2011,
      vin: '8GKS1AKC7FR518845',
      driver_user_ids: [],
    });
  });

  it("accepts the seed's JavaScript example: known names matched in any case, an unknown type added with a warning", async () => {
    const fresh = await t.tenant();
    const response = await push(SEED_JS, fresh);
    expect(response.status).toBe(200);
    expect(response.body.warnings).toEqual(['The vehicle type commercial was not found and has been added.']);
    const saved = await vehicle(response.body.vehicle_id_id, fresh);
    expect(saved).toMatchObject({ make: 'Kia', make_id: 14, vehicle_type: 'commercial', colour: 'Red', year: 2021, province: 'Massachusetts' });
    const types = await t.admin('GET', `/clients/${fresh.code}/vehicle-types`);
    expect(types.items.at(-1)).toMatchObject({ id: 13, name: 'commercial' });
    const again = await push({ ...SEED_JS, plate: 'PL8RDR2' }, fresh);
    expect(again.body.warnings).toEqual([]);
    expect((await vehicle(again.body.vehicle_id_id, fresh)).vehicle_type_id).toBe(13);
  });

  it('warns when an unknown make or colour is added, and words it with the name as sent', async () => {
    const response = await push({ plate: plate(), plateTypeID: '4', provID: '9', make: 'Zastava', colour: 'Mauve' });
    expect(response.body.warnings).toEqual([
      'The vehicle make Zastava was not found and has been added.',
      'The vehicle colour Mauve was not found and has been added.',
    ]);
  });

  it('reads a numeric name as a name when no such id exists', async () => {
    const response = await push({ plate: plate(), plateTypeID: '4', provID: '9', make: '9999' });
    expect(response.body.warnings).toEqual(['The vehicle make 9999 was not found and has been added.']);
    expect((await vehicle(response.body.vehicle_id_id)).make).toBe('9999');
  });

  it('takes ids under every id attribute, sent as text or as JSON numbers', async () => {
    const response = await push({ plate: plate(), plateTypeID: 4, provID: '9', makeID: '13', typeID: 5, colourID: '14', year: 2006 });
    expect(response.status).toBe(200);
    expect(await vehicle(response.body.vehicle_id_id)).toMatchObject({
      plate_type: 'Passenger',
      province: 'Ontario',
      make: 'Chevrolet',
      vehicle_type: 'Compact',
      colour: 'Red',
      year: 2006,
    });
  });

  it('lets the id attribute win over the name attribute', async () => {
    const response = await push({ plate: plate(), plateType: 'Trailer', plateTypeID: '4', prov: 'Texas', provID: '9' });
    expect(await vehicle(response.body.vehicle_id_id)).toMatchObject({ plate_type: 'Passenger', province: 'Ontario' });
  });

  it.each([
    ['Ontario', 'Ontario'],
    ['ontario', 'Ontario'],
    ['ON', 'Ontario'],
    ['on', 'Ontario'],
    ['MA', 'Massachusetts'],
    ['new york', 'New York'],
    ['QC', 'Quebec'],
  ])('matches province %s by name or postal code', async (prov, name) => {
    const response = await push({ plate: plate(), plateType: 'passenger', prov });
    expect(response.status).toBe(200);
    expect(response.body.warnings).toEqual([]);
    expect((await vehicle(response.body.vehicle_id_id)).province).toBe(name);
  });

  it('truncates names over 50 characters and a vin over 25, with warnings', async () => {
    const longColour = `Midnight ${'Blue'.repeat(20)}`;
    const response = await push({ plate: plate(), plateTypeID: '4', provID: '9', colour: longColour, vin: 'V'.repeat(30) });
    expect(response.status).toBe(200);
    expect(response.body.warnings).toEqual([
      'The vehicle colour name was too long and has been truncated.',
      `The vehicle colour ${longColour.slice(0, 50)} was not found and has been added.`,
      'The vehicle VIN was too long and has been truncated.',
    ]);
    const saved = await vehicle(response.body.vehicle_id_id);
    expect(saved.colour).toBe(longColour.slice(0, 50));
    expect(saved.vin).toBe('V'.repeat(25));
  });

  it('answers 9006 without a plate and 9021 for a plate over 50', async () => {
    const missing = await push({ plateTypeID: '4', provID: '9' });
    expect([missing.status, missing.body]).toEqual([400, { ErrorCode: 9006, ErrorMessage: ERROR_CATALOGUE[9006].message, field: 'plate' }]);
    expect((await push({ plate: '  ', plateTypeID: '4', provID: '9' })).body.ErrorCode).toBe(9006);
    const long = await push({ plate: 'A'.repeat(51), plateTypeID: '4', provID: '9' });
    expect([long.status, long.body.ErrorCode, long.body.field]).toEqual([400, 9021, 'plate']);
    expect((await push({ plate: 'A'.repeat(50), plateTypeID: '4', provID: '9' })).status).toBe(200);
  });

  it('answers 9010 without a plate type and 9011 without a province', async () => {
    const noType = await push({ plate: plate(), provID: '9' });
    expect([noType.status, noType.body.ErrorCode, noType.body.field]).toEqual([400, 9010, 'plateType']);
    const noProv = await push({ plate: plate(), plateTypeID: '4' });
    expect([noProv.status, noProv.body.ErrorCode, noProv.body.field]).toEqual([400, 9011, 'prov']);
  });

  it.each([
    ['plateTypeID', '999'],
    ['provID', '999'],
    ['makeID', '999'],
    ['typeID', '999'],
    ['colourID', '999'],
    ['makeID', 'abc'],
    ['colourID', '-3'],
    ['year', '95'],
    ['year', '20201'],
    ['year', 'abcd'],
    ['plate', 42],
    ['make', { name: 'Kia' }],
    ['vin', ['x']],
    ['plate', '- . -'],
    ['make', 'Ki\u0000a'],
    ['plate', 'AB\u0000C'],
  ])('answers 9033 with the field for %s = %j', async (field, value) => {
    const response = await push({ plate: plate(), plateTypeID: '4', provID: '9', [field]: value });
    expect([response.status, response.body.ErrorCode, response.body.field]).toEqual([400, 9033, field]);
  });

  it('names the attribute as the request spelled it', async () => {
    const response = await push({ PLATE: plate(), PlateTypeId: '4', PROVID: '77' });
    expect([response.body.ErrorCode, response.body.field]).toEqual([9033, 'PROVID']);
  });

  it('answers 9012 (409) for the same normalised plate and province, and accepts it in another province', async () => {
    const first = await push({ plate: 'AB123', plateTypeID: '4', prov: 'ON' });
    expect(first.status).toBe(200);
    const again = await push({ plate: 'ab-123', plateTypeID: '4', prov: 'Ontario' });
    expect([again.status, again.body]).toEqual([409, { ErrorCode: 9012, ErrorMessage: ERROR_CATALOGUE[9012].message, field: 'plate' }]);
    expect((await push({ plate: 'a.b 1-23', plateTypeID: '4', provID: '9' })).body.ErrorCode).toBe(9012);
    expect((await push({ plate: 'AB123', plateTypeID: '4', prov: 'QC' })).status).toBe(200);
    const other = await t.tenant();
    expect((await push({ plate: 'AB123', plateTypeID: '4', prov: 'ON' }, other)).status).toBe(200);
  });

  it('keeps nothing of a refused push: a new make is not added when the plate is a duplicate', async () => {
    await push({ plate: 'DUPMAKE1', plateTypeID: '4', provID: '9' });
    const refused = await push({ plate: 'dupmake1', plateTypeID: '4', provID: '9', make: 'Lada' });
    expect(refused.body.ErrorCode).toBe(9012);
    const makes = await t.admin('GET', `/clients/${tenant.code}/makes?limit=1000`);
    expect(makes.items.map((m: any) => m.name)).not.toContain('Lada');
  });

  it('creates exactly one vehicle when the same plate is pushed concurrently', async () => {
    const responses = await Promise.all(
      ['RACE-1', 'race1', 'RACE 1', 'r.a.c.e.1', 'RACE1', 'Race-1'].map((p) => push({ plate: p, plateTypeID: '4', provID: '9', make: 'RaceMake' })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of responses.filter((r) => r.status !== 200)) expect([r.status, r.body.ErrorCode]).toEqual([409, 9012]);
    const listed = await t.admin('GET', `/clients/${tenant.code}/vehicles?plate=RACE1`);
    expect(listed.items).toHaveLength(1);
  });

  it('adds a new name once when pushes naming it race', async () => {
    const responses = await Promise.all([1, 2, 3, 4].map((i) => push({ plate: `NEWCOL${i}`, plateTypeID: '4', provID: '9', colour: 'Chartreuse' })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const colours = await t.admin('GET', `/clients/${tenant.code}/colours?limit=1000`);
    expect(colours.items.filter((c: any) => c.name === 'Chartreuse')).toHaveLength(1);
    const ids = new Set(await Promise.all(responses.map(async (r) => (await vehicle(r.body.vehicle_id_id)).colour_id)));
    expect(ids.size).toBe(1);
  });

  it("does not see another client's lookups", async () => {
    const other = await t.tenant();
    await push({ plate: plate(), plateTypeID: '4', provID: '9', make: 'OnlyHere' });
    const response = await push({ plate: plate(), plateTypeID: '4', provID: '9', make: 'OnlyHere' }, other);
    expect(response.body.warnings).toEqual(['The vehicle make OnlyHere was not found and has been added.']);
  });

  it('answers success or a documented 90xx code for any JSON object, never a 500', async () => {
    const documented = new Set(Object.keys(ERROR_CATALOGUE).map(Number));
    let successes = 0;
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ maxLength: 60 }),
      fc.stringMatching(/^\d{1,4}$/),
      fc.integer({ min: -5, max: 3000 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }),
    );
    const key = fc.oneof(
      fc.constantFrom(
        'plate',
        'plateTypeID',
        'plateType',
        'provID',
        'prov',
        'makeID',
        'make',
        'typeID',
        'type',
        'colourID',
        'colour',
        'year',
        'vin',
        'PLATE',
        'Prov',
      ),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.dictionary(key, value, { maxKeys: 8 }), async (fromValid, extra) => {
        // half the bodies start from a valid vehicle so that the success path is explored too
        const body = fromValid ? { plate: plate(), plateTypeID: '4', provID: '9', ...extra } : extra;
        const response = await push(body);
        if (response.status === 200) {
          successes++;
          expect(response.body.status).toBe('success');
          expect(response.body.vehicle_id_id).toMatch(/^\d+$/);
        } else {
          expect(response.status).toBeLessThan(500);
          expect(documented.has(response.body.ErrorCode)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    expect(successes).toBeGreaterThan(10);
  }, 120_000);
});
