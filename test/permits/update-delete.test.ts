import { openDatabase } from '../../src/db/database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCases } from '../helpers/auth-cases.js';
import { DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const BASE = { plate: 'PL8RDR', startTime: '2018-07-02T09:00:00', endTime: '2018-07-02T09:30:00', amount: '14.50', zone: 'Lot 4', permitNo: 'L4-1138' };
const UNKNOWN = '1a9b5375-cb75-4c71-9939-eeae550b09ac';

describe.each(DATABASES)('permits/update and permits/delete on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const call = (action: 'push' | 'update' | 'delete', tenant: Tenant, body: Record<string, unknown>) =>
    t.post(`/api/${tenant.code}/v1/permits/${action}`, { apiToken: tenant.token, ...body });
  const pushed = async (tenant: Tenant, body: Record<string, unknown> = {}) => {
    const response = await call('push', tenant, { ...BASE, ...body });
    expect(response.status).toBe(200);
    return response.body.reference_id as string;
  };
  const row = (tenant: Tenant, referenceId: string) =>
    t.database.db
      .selectFrom('pushed_permits')
      .selectAll()
      .where('client_id', '=', tenant.clientId)
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
  async function secondIntegration(tenant: Tenant) {
    const integration = await t.admin('POST', `/clients/${tenant.code}/integrations`, { name: 'Other vendor', origin: 'T2' });
    const token = await t.admin('POST', `/clients/${tenant.code}/tokens`, { integration: integration.id, scopes: 'all' });
    return { ...tenant, integrationId: integration.id as number, token: token.token as string, tokenId: token.id as number };
  }

  authCases(() => t, { url: (code) => `/api/${code}/v1/permits/update`, scope: 'permit-create', body: { referenceID: UNKNOWN } });
  authCases(() => t, { url: (code) => `/api/${code}/v1/permits/delete`, scope: 'permit-create', body: { referenceID: UNKNOWN } });

  describe('update', () => {
    it("applies the seed's request as written and answers with the same reference id", async () => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant, { plate: 'OLD1', amount: '1.00', currency: 'USD', endTime: '2018-07-02T09:10:00' });
      const response = await call('update', tenant, {
        referenceID: referenceId,
        plate: 'PL8RDR',
        Amount: '14.50',
        currency: 'CAD',
        endTime: '2018-07-02T09:30:00',
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'success', reference_id: referenceId, InternalReferenceID: referenceId });
      const stored = await row(tenant, referenceId);
      expect(stored).toMatchObject({ plate: 'PL8RDR', plate_norm: 'PL8RDR', amount: '14.50', currency: 'CAD', zone_name: 'Lot 4', permit_no: 'L4-1138' });
      expect(stored.start_at.toISOString()).toBe('2018-07-02T09:00:00.000Z');
      expect(stored.end_at.toISOString()).toBe('2018-07-02T09:30:00.000Z');
    });

    it.each(['referenceid', 'referenceID', 'reference_id', 'REFERENCE_ID'])('reads the reference id as %s', async (name) => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      const response = await call('update', tenant, { [name]: referenceId.toUpperCase(), EndDateUtc: '2018-07-02T10:00:00' });
      expect(response.status).toBe(200);
      expect(response.body.reference_id).toBe(referenceId);
      expect((await row(tenant, referenceId)).end_at.toISOString()).toBe('2018-07-02T10:00:00.000Z');
    });

    it('changes only the attributes given, under any of their names', async () => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      expect((await call('update', tenant, { referenceID: referenceId, LicensePlate: 'new-1 2' })).status).toBe(200);
      expect(await row(tenant, referenceId)).toMatchObject({ plate: 'new-1 2', plate_norm: 'NEW12', amount: '14.50', currency: 'CAD' });
      expect((await call('update', tenant, { referenceID: referenceId, CurrencyID: 'usd', amount: 2.5 })).status).toBe(200);
      const stored = await row(tenant, referenceId);
      expect(stored).toMatchObject({ plate: 'new-1 2', amount: '2.50', currency: 'USD' });
      expect(stored.end_at.toISOString()).toBe('2018-07-02T09:30:00.000Z');
    });

    it("reads the new end in the client's input time zone", async () => {
      const tenant = await t.tenant();
      await t.admin('PATCH', `/clients/${tenant.code}`, { input_time_zone: 'America/Vancouver' });
      const referenceId = await pushed(tenant);
      await call('update', tenant, { referenceID: referenceId, endTime: '2018-07-02T10:00:00' });
      expect((await row(tenant, referenceId)).end_at.toISOString()).toBe('2018-07-02T17:00:00.000Z');
    });

    it.each([
      [{}, 400, 9008, 'referenceid'],
      [{ referenceID: 'R'.repeat(51) }, 400, 9030, 'referenceID'],
      [{ referenceID: 'PREVIOUS-REFERENCE-ID' }, 404, 9009, 'referenceID'],
      [{ referenceID: UNKNOWN }, 404, 9009, 'referenceID'],
      [{ referenceID: 42 }, 400, 9033, 'referenceID'],
    ])('answers %j with HTTP %i, %i on %s', async (body, status, code, field) => {
      const tenant = await t.tenant();
      const response = await call('update', tenant, body);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ ErrorCode: code, field });
    });

    it.each([
      [{ endTime: '2018-07-02T09:00:00' }, 9005, 'endTime'],
      [{ endTime: '2018-07-02T08:00:00' }, 9005, 'endTime'],
      [{ endTime: '2018-02-30T09:00:00' }, 9005, 'endTime'],
      [{ amount: '1000000.00' }, 9033, 'amount'],
      [{ Amount: '14.5' }, 9033, 'Amount'],
      [{ plate: 'P'.repeat(26) }, 9030, 'plate'],
      [{ currency: 'C'.repeat(11) }, 9030, 'currency'],
    ])('validates the result as a whole: %j is %i and changes nothing', async (change, code, field) => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      const before = await row(tenant, referenceId);
      const response = await call('update', tenant, { referenceID: referenceId, ...change });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ ErrorCode: code, field });
      expect(await row(tenant, referenceId)).toEqual(before);
    });

    it('answers 9009 for a deleted permit', async () => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      await call('delete', tenant, { referenceID: referenceId });
      const response = await call('update', tenant, { referenceID: referenceId, amount: '1.00' });
      expect(response.status).toBe(404);
      expect(response.body.ErrorCode).toBe(9009);
      expect((await row(tenant, referenceId)).amount).toBe('14.50');
    });

    it('answers 9002 to another integration of the client and 9009 to another client', async () => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      const sibling = await secondIntegration(tenant);
      const foreign = await t.tenant();
      const fromSibling = await call('update', sibling, { referenceID: referenceId, amount: '1.00' });
      expect(fromSibling.status).toBe(403);
      expect(fromSibling.body.ErrorCode).toBe(9002);
      const fromForeign = await call('update', foreign, { referenceID: referenceId, amount: '1.00' });
      expect(fromForeign.status).toBe(404);
      expect(fromForeign.body.ErrorCode).toBe(9009);
      expect((await row(tenant, referenceId)).amount).toBe('14.50');
    });

    it('answers 9022 with the other reference id when the change would duplicate a live permit', async () => {
      const tenant = await t.tenant();
      const first = await pushed(tenant, { plate: 'DUP1' });
      const second = await pushed(tenant, { plate: 'DUP2' });
      const response = await call('update', tenant, { referenceID: second, plate: 'dup-1' });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ ErrorCode: 9022, reference_id: first });
      expect((await row(tenant, second)).plate).toBe('DUP2');
    });
  });

  describe('delete', () => {
    it("deletes with the seed's request, keeps the row, and answers 9009 when repeated", async () => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      const response = await call('delete', tenant, { referenceID: referenceId });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'success', reference_id: referenceId, InternalReferenceID: referenceId });
      expect((await row(tenant, referenceId)).deleted_at).toBeInstanceOf(Date);
      const again = await call('delete', tenant, { reference_id: referenceId });
      expect(again.status).toBe(404);
      expect(again.body).toMatchObject({ ErrorCode: 9009, ErrorMessage: 'Record not found.' });
    });

    it('stops the permit counting at once', async () => {
      const tenant = await t.tenant();
      const now = new Date();
      const local = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString().slice(0, 19);
      const referenceId = await pushed(tenant, { startTime: local(-3_600_000), endTime: local(3_600_000) });
      const stats = () => t.post(`/api/${tenant.code}/v1/permits/stats`, { apiToken: tenant.token });
      expect((await stats()).body.data).toEqual([{ type: 'temp', zone: 'Lot 4', total: '1' }]);
      await call('delete', tenant, { referenceid: referenceId });
      expect((await stats()).body).toEqual({ data: [] });
    });

    // Another process needs a shared database: PostgreSQL (PGlite belongs to one process).
    if (kind === 'postgres')
      it('reuses a stats answer for at most a second when the change comes from another process', async () => {
        const tenant = await t.tenant();
        const now = new Date();
        const local = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString().slice(0, 19);
        const referenceId = await pushed(tenant, { startTime: local(-3_600_000), endTime: local(3_600_000) });
        const stats = () => t.post(`/api/${tenant.code}/v1/permits/stats`, { apiToken: tenant.token });
        expect((await stats()).body.data).toEqual([{ type: 'temp', zone: 'Lot 4', total: '1' }]);
        // Another server process deleting it: this process cannot know until the answer ages out.
        const elsewhere = await openDatabase({ kind: 'postgres', url: (t.database as { url?: string }).url! });
        try {
          await elsewhere.db.updateTable('pushed_permits').set({ deleted_at: new Date() }).where('reference_id', '=', referenceId).execute();
        } finally {
          await elsewhere.close();
        }
        expect((await stats()).body.data).toEqual([{ type: 'temp', zone: 'Lot 4', total: '1' }]);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        expect((await stats()).body).toEqual({ data: [] });
      });

    it.each([
      [{}, 400, 9008],
      [{ referenceID: UNKNOWN }, 404, 9009],
      [{ referenceID: 'not-a-uuid' }, 404, 9009],
    ])('answers %j with HTTP %i and %i', async (body, status, code) => {
      const tenant = await t.tenant();
      const response = await call('delete', tenant, body);
      expect(response.status).toBe(status);
      expect(response.body.ErrorCode).toBe(code);
    });

    it('answers 9002 to another integration of the client and 9009 to another client, deleting nothing', async () => {
      const tenant = await t.tenant();
      const referenceId = await pushed(tenant);
      const sibling = await secondIntegration(tenant);
      const foreign = await t.tenant();
      const fromSibling = await call('delete', sibling, { referenceID: referenceId });
      expect(fromSibling.status).toBe(403);
      expect(fromSibling.body.ErrorCode).toBe(9002);
      const fromForeign = await call('delete', foreign, { referenceID: referenceId });
      expect(fromForeign.status).toBe(404);
      expect(fromForeign.body.ErrorCode).toBe(9009);
      expect((await row(tenant, referenceId)).deleted_at).toBeNull();
    });
  });
});
