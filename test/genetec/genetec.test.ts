import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { pruneChanges } from '../../src/changes/feed.js';
import { openDatabase } from '../../src/db/database.js';
import { ADMIN_TOKEN, DATABASES, NO_RATE_LIMITS, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const PBP = '/api/pbp/v2014-06';
const HOUR = 3_600_000;
const DENIED = { Message: 'Authorization has been denied for this request.' };
const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `YYYY-MM-DDTHH:MM:SS` in UTC (the test clients read times in UTC). */
const input = (date: Date) => date.toISOString().slice(0, 19);
/** The Genetec form of an instant: UTC to the second, with Z. */
const genetec = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

interface Call {
  readonly key?: string;
  readonly body?: unknown;
}

describe.each(DATABASES)('the Genetec Pay-by-Plate Sync face on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  let lotA: number;
  let lotB: number;
  const base = new Date(Math.floor(Date.now() / 1000) * 1000);
  const start = new Date(base.getTime() - HOUR);
  const end = new Date(base.getTime() + 2 * HOUR);

  const pbp = async (app: App, method: 'GET' | 'POST', path: string, call: Call = {}) => {
    const response = await app.inject({
      method,
      url: `${PBP}${path}`,
      headers: { ...(call.key === undefined ? {} : { 'x-apikey': call.key }), ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(call.body === undefined ? {} : { payload: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) }),
    });
    return { status: response.statusCode, body: response.body === '' ? undefined : response.json(), headers: response.headers };
  };
  const get = (path: string, key = tenant.token) => pbp(t.app, 'GET', path, { key });
  const post = (path: string, body: unknown, key = tenant.token) => pbp(t.app, 'POST', path, { key, body });

  const push = async (who: Tenant, plate: string, zone: string | null, from = start, until = end) => {
    const response = await t.post(`/api/${who.code}/v1/permits/push`, {
      apiToken: who.token,
      plate,
      startTime: input(from),
      endTime: input(until),
      ...(zone === null ? {} : { zone }),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.reference_id as string;
  };
  const permitsCall = async (who: Tenant, action: 'update' | 'delete', body: Record<string, unknown>) => {
    const response = await t.post(`/api/${who.code}/v1/permits/${action}`, { apiToken: who.token, ...body });
    expect(response.status).toBe(200);
  };

  let shortened: string;
  let deleted: string;
  let kept: string;
  let standardId: number;

  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    lotA = (await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot A', lot_type: 'M' })).id;
    lotB = (await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot B', lot_type: 'M' })).id;
    kept = await push(tenant, 'keep 1', 'lot a');
    shortened = await push(tenant, 'SHORT-1', 'Lot A');
    deleted = await push(tenant, 'DEL1', 'Lot A');
    await push(tenant, 'BEE1', 'Lot B');
    await push(tenant, 'NOWHERE1', 'No such lot');
    await push(tenant, 'PAST1', 'Lot A', new Date(base.getTime() - 3 * HOUR), new Date(base.getTime() - 2 * HOUR));
    await push(tenant, 'LATER1', 'Lot A', new Date(base.getTime() + HOUR), end);
    const vehicle = await t.admin('POST', `/clients/${tenant.code}/vehicles`, { plate: 'STD-1', plateTypeID: 4, provID: 9, make: 'Honda', colour: 'Blue' });
    await t.admin('POST', `/clients/${tenant.code}/permit-types`, { short_name: 'RES', lot: 'Lot A' });
    const standard = await t.admin('POST', `/clients/${tenant.code}/permits`, {
      permit_type: 'RES',
      vehicle_ids: [vehicle.id],
      plates: ['std 2'],
      start: start.toISOString(),
      end: end.toISOString(),
    });
    standardId = standard.id;
  });
  afterAll(() => t.close());

  describe('the key', () => {
    it('answers 401 without a key, with an unknown one, without the scope and once revoked', async () => {
      const other = await t.tenant({ scopes: ['permit-create'] });
      const revoked = await t.tenant();
      await t.admin('DELETE', `/clients/${revoked.code}/tokens/${revoked.tokenId}`);
      for (const path of ['/zones', `/zones/${lotA}/permits`]) {
        expect(await pbp(t.app, 'GET', path)).toMatchObject({ status: 401, body: DENIED });
        expect(await get(path, 'pc-unknownunknownunknownunknownunknownunknown')).toMatchObject({ status: 401, body: DENIED });
        expect(await get(path, other.token)).toMatchObject({ status: 401, body: DENIED });
        expect(await get(path, revoked.token)).toMatchObject({ status: 401, body: DENIED });
        expect(await get(path, 'x'.repeat(300))).toMatchObject({ status: 401, body: DENIED });
      }
      // The key is checked before the body: a bad body without a key is still 401.
      expect(await pbp(t.app, 'POST', '/isvalid', { body: '{' })).toMatchObject({ status: 401, body: DENIED });
      expect(await post('/isvalid', { PlateNumber: 'ABC' }, other.token)).toMatchObject({ status: 401, body: DENIED });
    });

    it('audits every call, refused ones too, under the client of the key', async () => {
      const caller = await t.tenant();
      await get('/zones', caller.token);
      await get('/zones/999999/permits', caller.token);
      await pbp(t.app, 'GET', '/zones');
      await t.app.audit.flush();
      const rows = await t.database.db
        .selectFrom('audit_log')
        .select(['client_id', 'endpoint', 'error_code', 'http_status', 'token_id'])
        .where('endpoint', 'like', `${PBP}%`)
        .where((eb) => eb.or([eb('client_id', '=', caller.clientId), eb('token_id', 'is', null)]))
        .orderBy('id')
        .execute();
      expect(rows).toEqual(
        expect.arrayContaining([
          { client_id: caller.clientId, endpoint: `${PBP}/zones`, error_code: 0, http_status: 200, token_id: caller.tokenId },
          { client_id: caller.clientId, endpoint: `${PBP}/zones/:zoneId/permits`, error_code: 9009, http_status: 404, token_id: caller.tokenId },
          { client_id: 0, endpoint: `${PBP}/zones`, error_code: 9001, http_status: 401, token_id: null },
        ]),
      );
    });

    it("is charged against the integration's request limit", async () => {
      const limited = await startTestApp(kind, { perTokenPerMinute: 0, authFailuresPerMinute: 0 });
      try {
        const caller = await limited.tenant();
        await limited.admin('PATCH', `/clients/${caller.code}/integrations/${caller.integrationId}`, { rate_limit_per_minute: 2 });
        expect((await pbp(limited.app, 'GET', '/zones', { key: caller.token })).status).toBe(200);
        expect((await pbp(limited.app, 'GET', '/zones', { key: caller.token })).status).toBe(200);
        const refused = await pbp(limited.app, 'GET', '/zones', { key: caller.token });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(refused.body.Message).toContain('Too many requests');
      } finally {
        await limited.close();
      }
    });
  });

  it('lists the client’s lots as zones', async () => {
    const other = await t.tenant();
    await t.admin('POST', `/clients/${other.code}/lots`, { name: 'Elsewhere', lot_type: 'M' });
    expect(await get('/zones')).toMatchObject({
      status: 200,
      body: [
        { ZoneId: String(lotA), Name: 'Lot A' },
        { ZoneId: String(lotB), Name: 'Lot B' },
      ],
    });
    expect((await get('/zones', other.token)).body).toEqual([{ ZoneId: expect.any(String), Name: 'Elsewhere' }]);
  });

  it('downloads the zone’s permits valid now, pushed and standard, one entry per plate', async () => {
    const response = await get(`/zones/${lotA}/permits`);
    expect(response.status).toBe(200);
    expect(response.body.ContinuationToken).toMatch(/^pc1\.\d+\.\d+$/);
    const permit = (PermitId: string, PlateNumber: string, extra: Record<string, string> = {}) => ({
      Expiry: genetec(end),
      Activation: genetec(start),
      PermitId,
      PlateNumber,
      PlateState: '',
      Make: '',
      Color: '',
      ...extra,
    });
    expect(response.body.Permits).toEqual(
      expect.arrayContaining([
        permit(kept, 'KEEP1'),
        permit(shortened, 'SHORT1'),
        permit(deleted, 'DEL1'),
        permit(`S${standardId}`, 'STD1', { PlateState: 'ON', Make: 'Honda', Color: 'Blue' }),
        permit(`S${standardId}`, 'STD2'),
      ]),
    );
    // Not Lot B's, not the disconnected one, not expired or future ones.
    expect(response.body.Permits).toHaveLength(5);
    expect(Object.keys(response.body.Permits[0])).toEqual(['Expiry', 'Activation', 'PermitId', 'PlateNumber', 'PlateState', 'Make', 'Color']);
    const lotBAnswer = await get(`/zones/${lotB}/permits`);
    expect(lotBAnswer.body.Permits.map((entry: { PlateNumber: string }) => entry.PlateNumber)).toEqual(['BEE1']);
  });

  it('answers 404 for a zone that is not one of the client’s, 400 for a token it did not give the client', async () => {
    const other = await t.tenant();
    const otherLot = (await t.admin('POST', `/clients/${other.code}/lots`, { name: 'Theirs', lot_type: 'M' })).id;
    for (const zone of ['999999', String(otherLot), 'abc', '0', '99999999999', '%00']) {
      const response = await get(`/zones/${zone}/permits`);
      expect(response.status, zone).toBe(404);
      expect(response.body.Message).toContain('no zone');
    }
    const theirs = (await get(`/zones/${otherLot}/permits`, other.token)).body.ContinuationToken;
    const mine = (await get(`/zones/${lotA}/permits`)).body.ContinuationToken as string;
    const ahead = mine.replace(/\.\d+$/, '.999999');
    for (const token of [theirs, ahead, 'garbage', '12/6/2020 3:55:01 PM', 'pc1.1.-1', '%00']) {
      const response = await get(`/zones/${lotA}/permits?continuationToken=${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(400);
      expect(response.body.Message).toMatch(/continuation token|must match/);
    }
  });

  it('follows pushes, updates and deletes through continuation tokens, zone by zone', async () => {
    const first = (await get(`/zones/${lotA}/permits`)).body.ContinuationToken as string;
    // Nothing changed: nothing to send, and the same position.
    expect((await get(`/zones/${lotA}/permits?continuationToken=${first}`)).body).toEqual({ ContinuationToken: first, Permits: [] });

    const added = await push(tenant, 'NEW1', 'Lot A');
    const shortEnd = new Date(base.getTime() - HOUR / 2);
    await permitsCall(tenant, 'update', { referenceId: shortened, endTime: input(shortEnd) });
    const beforeDelete = Date.now();
    await permitsCall(tenant, 'delete', { referenceId: deleted });
    await push(tenant, 'BEE2', 'Lot B');

    const changes = await get(`/zones/${lotA}/permits?continuationToken=${first}`);
    expect(changes.status).toBe(200);
    const byId = new Map<string, { Expiry: string; PlateNumber: string }>(changes.body.Permits.map((entry: { PermitId: string }) => [entry.PermitId, entry]));
    expect([...byId.keys()].sort()).toEqual([added, deleted, shortened].sort());
    expect(byId.get(added)).toMatchObject({ Expiry: genetec(end), PlateNumber: 'NEW1' });
    // Shortened into the past and deleted: sent with their new, past Expiry.
    expect(byId.get(shortened)!.Expiry).toBe(genetec(shortEnd));
    const deletedExpiry = Date.parse(byId.get(deleted)!.Expiry);
    expect(byId.get(deleted)!.Expiry).toMatch(UTC_SECOND);
    expect(deletedExpiry).toBeGreaterThanOrEqual(Math.floor(beforeDelete / 1000) * 1000);
    expect(deletedExpiry).toBeLessThanOrEqual(Date.now());

    const next = changes.body.ContinuationToken as string;
    expect(next).not.toBe(first);
    expect((await get(`/zones/${lotA}/permits?continuationToken=${next}`)).body).toEqual({ ContinuationToken: next, Permits: [] });
    // Lot B's change is Lot B's.
    const lotBChanges = (await get(`/zones/${lotB}/permits?continuationToken=${first}`)).body.Permits;
    expect(lotBChanges.map((entry: { PlateNumber: string }) => entry.PlateNumber)).toEqual(['BEE2']);

    // A standard permit issued later is a change of its zone too.
    await t.admin('POST', `/clients/${tenant.code}/permits`, { permit_type: 'RES', plates: ['STD3'], start: start.toISOString(), end: end.toISOString() });
    const standard = (await get(`/zones/${lotA}/permits?continuationToken=${next}`)).body.Permits;
    expect(standard).toEqual([expect.objectContaining({ PermitId: expect.stringMatching(/^S\d+$/), PlateNumber: 'STD3' })]);
  });

  it('keeps its tokens across a restart: they are positions in the change log', async () => {
    const before = (await get(`/zones/${lotA}/permits`)).body.ContinuationToken as string;
    const database = kind === 'postgres' ? await openDatabase({ kind: 'postgres', url: t.database.url! }) : t.database;
    const reopened = await buildApp({ database, adminToken: ADMIN_TOKEN, logLevel: 'silent', limits: NO_RATE_LIMITS });
    try {
      await push(tenant, 'AFTER1', 'Lot A');
      const response = await pbp(reopened, 'GET', `/zones/${lotA}/permits?continuationToken=${before}`, { key: tenant.token });
      expect(response.status).toBe(200);
      expect(response.body.Permits.map((entry: { PlateNumber: string }) => entry.PlateNumber)).toEqual(['AFTER1']);
    } finally {
      await reopened.close();
      if (database !== t.database) await database.close();
    }
  });

  it('answers a token older than the log keeps with a full download and a fresh token', async () => {
    const caller = await t.tenant();
    const lot = (await t.admin('POST', `/clients/${caller.code}/lots`, { name: 'Kept', lot_type: 'M' })).id;
    await push(caller, 'OLD1', 'Kept');
    const old = (await get(`/zones/${lot}/permits`, caller.token)).body.ContinuationToken as string;
    await push(caller, 'OLD2', 'Kept');
    // A retention of 0 days forgets every event written so far (every client's).
    await pruneChanges(t.database.db, 0);
    const response = await get(`/zones/${lot}/permits?continuationToken=${old}`, caller.token);
    expect(response.status).toBe(200);
    expect(response.body.Permits.map((entry: { PlateNumber: string }) => entry.PlateNumber).sort()).toEqual(['OLD1', 'OLD2']);
    expect(response.body.ContinuationToken).not.toBe(old);
    expect((await get(`/zones/${lot}/permits?continuationToken=${response.body.ContinuationToken}`, caller.token)).body.Permits).toEqual([]);
  });

  describe('permits/search', () => {
    it('answers the permits valid now of the plates, by zone', async () => {
      const response = await post('/permits/search', { PlateNumbers: ['keep-1', 'bee 1', 'std1', 'unknown'], ZoneIds: [String(lotA), String(lotB), 'prk1'] });
      expect(response.status).toBe(200);
      expect(response.body.PermitZones).toEqual([
        {
          ZoneId: String(lotA),
          Permits: expect.arrayContaining([
            expect.objectContaining({ PermitId: kept, PlateNumber: 'KEEP1' }),
            expect.objectContaining({ PermitId: `S${standardId}`, PlateNumber: 'STD1', PlateState: 'ON' }),
          ]),
        },
        { ZoneId: String(lotB), Permits: [expect.objectContaining({ PlateNumber: 'BEE1' })] },
      ]);
      expect(response.body.PermitZones[0].Permits).toHaveLength(2);
      // Without ZoneIds: every zone.
      const everywhere = await post('/permits/search', { PlateNumbers: ['BEE1'] });
      expect(everywhere.body.PermitZones).toEqual([{ ZoneId: String(lotB), Permits: [expect.objectContaining({ PlateNumber: 'BEE1' })] }]);
    });

    it('answers 404 when nothing matches, 400 for a malformed body', async () => {
      for (const body of [
        { PlateNumbers: ['KEEP1'], ZoneIds: [String(lotB)] },
        { PlateNumbers: ['NOBODY'] },
        { PlateNumbers: [] },
        { PlateNumbers: ['NOWHERE1'] },
        { PlateNumbers: ['KEEP1'], ZoneIds: ['prk1'] },
      ]) {
        const response = await post('/permits/search', body);
        expect(response.status, JSON.stringify(body)).toBe(404);
        expect(response.body.Message).toBeTruthy();
      }
      for (const body of [
        '{',
        '[]',
        { ZoneIds: [] },
        { PlateNumbers: 'ABC' },
        { PlateNumbers: [1] },
        { PlateNumbers: ['A\u0000B'] },
        { PlateNumbers: Array(1001).fill('A') },
      ]) {
        const response = await post('/permits/search', body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.Message).toBeTruthy();
      }
    });
  });

  describe('isvalid', () => {
    it('says whether the plate has a permit valid now in one of the zones', async () => {
      expect((await post('/isvalid', { PlateNumber: 'keep 1', ZoneIds: [String(lotA)] })).body).toEqual({ IsValid: true });
      expect((await post('/isvalid', { PlateNumber: 'KEEP1' })).body).toEqual({ IsValid: true });
      expect((await post('/isvalid', { PlateNumber: 'STD-2', ZoneIds: [String(lotA)] })).body).toEqual({ IsValid: true });
      expect((await post('/isvalid', { PlateNumber: 'KEEP1', ZoneIds: [String(lotB)] })).body).toEqual({ IsValid: false });
      expect((await post('/isvalid', { PlateNumber: 'PAST1' })).body).toEqual({ IsValid: false });
      expect((await post('/isvalid', { PlateNumber: 'LATER1' })).body).toEqual({ IsValid: false });
      expect((await post('/isvalid', { PlateNumber: '---' })).body).toEqual({ IsValid: false });
    });

    it('answers 400 for a malformed body', async () => {
      for (const body of [
        '',
        '{',
        { ZoneIds: [] },
        { PlateNumber: '' },
        { PlateNumber: 5 },
        { PlateNumber: 'A'.repeat(51) },
        { PlateNumber: 'A', ZoneIds: 'x' },
      ]) {
        const response = await post('/isvalid', body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.Message).toBeTruthy();
      }
    });
  });
});
