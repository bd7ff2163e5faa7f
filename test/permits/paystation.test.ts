import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
/** A pushed time (`Y-m-d\TH:i:s`, UTC) relative to now. */
const local = (offsetMs: number) => iso(offsetMs).slice(0, 19);

interface Listed {
  id: number;
  plate: string;
  zone: string | null;
  lot: string | null;
  integration: string;
  promo_code: string | null;
  disconnected: boolean;
  deleted_at: string | null;
}

describe.each(DATABASES)('GET /admin/v1/clients/:code/pushed-permits (Paystation status) on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  /** A second integration of the tenant, with its own token. */
  let kiosk: { id: number; token: string };
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot 4', lot_type: 'M' });
    const integration = await t.admin('POST', `/clients/${tenant.code}/integrations`, { name: 'Kiosk East', origin: 'HotSpot' });
    const token = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: integration.id, scopes: 'all' });
    kiosk = { id: integration.id, token: token.token };
    const push = async (token: string, body: Record<string, unknown>) => {
      const response = await t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: token, ...body });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.reference_id as string;
    };
    // oldest first: ids grow in this order
    await push(tenant.token, { plate: 'OLD 1', zone: 'Lot 4', startTime: local(-10 * DAY), endTime: local(-9 * DAY) });
    await push(tenant.token, { plate: 'NOW 1', zone: 'lot 4', promoCode: 'Spring24', startTime: local(-HOUR), endTime: local(HOUR) });
    await push(tenant.token, { plate: 'NOW 2', zone: 'Annex, East', startTime: local(-HOUR), endTime: local(HOUR) });
    await push(kiosk.token, { plate: 'NOW 3', zone: 'Lot 4', promoCode: 'SPRING24', amount: '3.25', startTime: local(-HOUR), endTime: local(HOUR) });
    const gone = await push(kiosk.token, { plate: 'GONE 1', zone: 'Annex, East', startTime: local(-HOUR), endTime: local(HOUR) });
    await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: kiosk.token, reference_id: gone });
    await push(tenant.token, { plate: 'SOON 1', startTime: local(DAY), endTime: local(2 * DAY) });
  });
  afterAll(() => t.close());

  const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) =>
    t.app.inject({ method: 'GET', url: `/admin/v1/clients/${tenant.code}/pushed-permits${query}`, headers });
  const plates = async (query: string) => {
    const response = await get(query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Listed[] }>().items.map((item) => item.plate);
  };

  it('lists every pushed permit newest first with its integration, lot, promo code and state', async () => {
    const answer = (await get('')).json<{ items: Listed[]; next_cursor: number | null }>();
    expect(answer.items.map((item) => item.plate)).toEqual(['SOON 1', 'GONE 1', 'NOW 3', 'NOW 2', 'NOW 1', 'OLD 1']);
    expect(answer.next_cursor).toBeNull();
    expect(answer.items[2]).toMatchObject({
      kind: 'pushed',
      plate: 'NOW 3',
      integration: 'Kiosk East',
      integration_id: kiosk.id,
      type: 'HotSpot',
      zone: 'Lot 4',
      lot: 'Lot 4',
      promo_code: 'SPRING24',
      amount: '3.25',
      disconnected: false,
      deleted_at: null,
    });
    expect(answer.items[1]?.deleted_at).not.toBeNull();
    expect(answer.items[3]).toMatchObject({ zone: 'Annex, East', lot: null, disconnected: true });
  });

  it('filters by plate, zone, integration, promo code, disconnected, validity and start range', async () => {
    expect(await plates('?plate=now-1')).toEqual(['NOW 1']);
    expect(await plates('?zone=%20LOT%204%20')).toEqual(['NOW 3', 'NOW 1', 'OLD 1']);
    expect(await plates(`?integration=${kiosk.id}`)).toEqual(['GONE 1', 'NOW 3']);
    expect(await plates('?integration=kiosk%20east')).toEqual(['GONE 1', 'NOW 3']);
    expect(await plates('?promo_code=spring24')).toEqual(['NOW 3', 'NOW 1']);
    expect(await plates('?disconnected=true')).toEqual(['GONE 1', 'NOW 2']);
    expect(await plates('?disconnected=false')).toEqual(['SOON 1', 'NOW 3', 'NOW 1', 'OLD 1']);
    expect(await plates('?valid_at=now')).toEqual(['NOW 3', 'NOW 2', 'NOW 1']);
    expect(await plates(`?valid_at=${encodeURIComponent(iso(-9.5 * DAY))}`)).toEqual(['OLD 1']);
    expect(await plates(`?valid_at=${encodeURIComponent(iso(1.5 * DAY))}`)).toEqual(['SOON 1']);
    expect(await plates(`?from=${encodeURIComponent(iso(-2 * HOUR))}`)).toEqual(['SOON 1', 'GONE 1', 'NOW 3', 'NOW 2', 'NOW 1']);
    expect(await plates(`?from=${encodeURIComponent(iso(-11 * DAY))}&to=${encodeURIComponent(iso(-2 * HOUR))}`)).toEqual(['OLD 1']);
    expect(await plates(`?zone=lot%204&promo_code=SPRING24&integration=Test%20integration&valid_at=now`)).toEqual(['NOW 1']);
    expect(await plates('?zone=Nowhere')).toEqual([]);
    expect(await plates('?plate=NOBODY')).toEqual([]);
  });

  it('refuses hostile or impossible filters with a 400 naming the field, an unknown integration with 404, never a 500', async () => {
    const cases: Array<[string, number, string]> = [
      ['?limit=0', 400, 'limit'],
      ['?limit=1001', 400, 'limit'],
      ['?limit=abc', 400, 'limit'],
      ['?cursor=-1', 400, 'cursor'],
      ['?cursor=9007199254740993', 400, 'cursor'],
      ['?plate=---', 400, 'plate'],
      [`?plate=${'A'.repeat(51)}`, 400, 'plate'],
      ['?zone=%20%20', 400, 'zone'],
      [`?zone=${'z'.repeat(201)}`, 400, 'zone'],
      ['?zone=a%00b', 400, 'zone'],
      ['?promo_code=%20', 400, 'promo_code'],
      ['?integration=0', 404, 'integration'],
      ['?integration=99999999999', 404, 'integration'],
      ['?integration=%20', 404, 'integration'],
      ['?integration=999999', 404, 'integration'],
      ['?integration=No%20such', 404, 'integration'],
      ['?disconnected=maybe', 400, 'disconnected'],
      ['?valid_at=yesterday', 400, 'valid_at'],
      ['?valid_at=2026-02-30T10:00:00Z', 400, 'valid_at'],
      ['?from=2026-13-01T00:00:00Z', 400, 'from'],
      ['?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 400, 'to'],
      ['?to=1', 400, 'to'],
      ["?zone='%3B%20drop%20table%20pushed_permits%3B--", 200, ''],
      ['?plate=x&plate=y', 400, 'plate'],
    ];
    for (const [query, status, field] of cases) {
      const response = await get(query);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(status);
      if (status !== 200) expect(response.json().field, query).toBe(field);
    }
    expect(await plates('')).toHaveLength(6);
  });

  it('pages by a keyset cursor: no row twice and none missed while permits are pushed between pages', async () => {
    const own = await t.tenant();
    const pushOne = async (plate: string) => {
      const response = await t.post(`/api/${own.code}/v1/permits/push`, { apiToken: own.token, plate, startTime: local(-HOUR), endTime: local(HOUR) });
      expect(response.status).toBe(200);
    };
    for (let index = 0; index < 23; index++) await pushOne(`PG ${index}`);
    const seen: string[] = [];
    let cursor: number | null | undefined;
    let pages = 0;
    do {
      const response = await t.app.inject({
        method: 'GET',
        url: `/admin/v1/clients/${own.code}/pushed-permits?limit=5${cursor === undefined ? '' : `&cursor=${cursor}`}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const page = response.json<{ items: Listed[]; next_cursor: number | null }>();
      seen.push(...page.items.map((item) => item.plate));
      cursor = page.next_cursor;
      pages++;
      // newer permits arrive while the operator pages: they belong before the first page
      await pushOne(`NEW ${pages}`);
    } while (cursor !== null);
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, index) => `PG ${22 - index}`));
  });

  it('is read by an officer of the client; refused without credentials; another client’s permits are not shown', async () => {
    const username = `paystation-officer-${kind}`;
    await t.admin('POST', '/operators', { username, display_name: 'Officer', role: 'officer', client: tenant.code, password: 'a long enough passphrase' });
    const session = await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username, password: 'a long enough passphrase' } });
    const cookie = session.cookies.find((candidate) => candidate.name === 'pc_session');
    expect(cookie).toBeDefined();
    const officer = await get('?valid_at=now', { cookie: `pc_session=${cookie!.value}` });
    expect([officer.statusCode, officer.json().items.length]).toEqual([200, 3]);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/clients/${tenant.code}/pushed-permits.csv`,
      headers: { cookie: `pc_session=${cookie!.value}` },
    });
    expect([csv.statusCode, csv.body.split('\r\n').length]).toEqual([200, 8]);
    expect((await get('', {})).statusCode).toBe(401);
    const other = await t.tenant();
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/admin/v1/clients/${other.code}/pushed-permits`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(theirs.json().items).toEqual([]);
  });

  describe('pushed-permits.csv', () => {
    const csv = (query: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) =>
      t.app.inject({ method: 'GET', url: `/admin/v1/clients/${tenant.code}/pushed-permits.csv${query}`, headers });

    it('streams the filtered rows as CSV with a header line, quoting what needs it', async () => {
      const response = await csv('?disconnected=true');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(`attachment; filename="pushed-permits-${tenant.code}.csv"`);
      // written as it is read: no length known up front
      expect(response.headers['content-length']).toBeUndefined();
      expect(response.headers['transfer-encoding']).toBe('chunked');
      const lines = response.body.split('\r\n');
      expect(lines[0]).toBe(
        'id,reference_id,integration,type,plate,zone,lot,disconnected,promo_code,amount,currency,start_at,end_at,permit_no,ticket_number,created_at,updated_at,deleted_at',
      );
      expect(lines).toHaveLength(4);
      expect(lines[3]).toBe('');
      const gone = lines[1]!.split(',');
      expect(gone.slice(2, 5)).toEqual(['Kiosk East', 'HotSpot', 'GONE 1']);
      expect(lines[1]).toContain(',"Annex, East",,true,,,CAD,');
      expect(lines[1]).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(lines[2]).toMatch(/,NOW 2,"Annex, East",,true,,,CAD,.*,$/);
    });

    it('answers the same rows as the pages, for every filter', async () => {
      for (const query of ['', '?zone=lot%204', `?integration=${kiosk.id}`, '?promo_code=spring24', '?valid_at=now', '?plate=NOBODY']) {
        const rows = (await csv(query)).body.split('\r\n').slice(1, -1);
        expect(
          rows.map((row) => row.split(',')[4]),
          query,
        ).toEqual(await plates(query));
      }
    });

    it('exports more rows than one batch reads, each once, in order', async () => {
      const bulk = await t.tenant();
      // written directly: 2,345 pushes would only make the test slow
      await t.database.db
        .insertInto('pushed_permits')
        .values(
          Array.from({ length: 2345 }, (_, index) => ({
            client_id: bulk.clientId,
            reference_id: crypto.randomUUID(),
            integration_id: bulk.integrationId,
            plate: `CSV${index}`,
            plate_norm: `CSV${index}`,
            amount: null,
            currency: 'CAD',
            start_at: iso(-HOUR),
            end_at: iso(HOUR),
            permit_no: null,
            ticket_number: null,
            zone_name: null,
            lot_id: null,
            disconnected: false,
            promo_code: null,
          })),
        )
        .execute();
      const response = await t.app.inject({
        method: 'GET',
        url: `/admin/v1/clients/${bulk.code}/pushed-permits.csv?limit=1`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const rows = response.body.split('\r\n').slice(1, -1);
      expect(rows.map((row) => row.split(',')[4])).toEqual(Array.from({ length: 2345 }, (_, index) => `CSV${2344 - index}`));
    });

    it('refuses a bad filter before sending anything, and callers without credentials', async () => {
      const bad = await csv('?valid_at=later');
      expect([bad.statusCode, bad.headers['content-type'], bad.json().field]).toEqual([400, 'application/json; charset=utf-8', 'valid_at']);
      expect((await csv('?integration=nobody')).statusCode).toBe(404);
      expect((await csv('', {})).statusCode).toBe(401);
      const unknown = await t.app.inject({
        method: 'GET',
        url: '/admin/v1/clients/NO_SUCH/pushed-permits.csv',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(unknown.statusCode).toBe(404);
    });
  });
});
