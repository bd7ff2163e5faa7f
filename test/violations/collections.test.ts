import { sql } from 'kysely';
import { migrate } from '../../src/db/migrate.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';
import { authCases } from '../helpers/auth-cases.js';
import { bulkOverdue, ticketingTenant } from './enforcement-fixtures.js';

const SECRET_KEYS = /^(salt|encid|api_?token|register_?token|csrf_?token|password|token|token_hash)$/i;

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.push(key);
      keysOf(inner, into);
    }
  }
  return into;
}

describe.each(DATABASES)('violations/send_overdue_to_collections on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const url = (tenant: Pick<Tenant, 'code'>) => `/api/${tenant.code}/v1/violations/send_overdue_to_collections`;
  const send = (tenant: Tenant, extra: Record<string, unknown> = {}) => t.post(url(tenant), { apiToken: tenant.token, ...extra });
  const tickets = (body: any): string[] => body.records.map((record: any) => record.Ticket).sort();

  authCases(() => t, { url: (code) => `/api/${code}/v1/violations/send_overdue_to_collections`, scope: 'violations-collections' });

  it('applies the overdue rule case by case: not due, paid, partly paid, voided, appealed, already sent', async () => {
    const s = await ticketingTenant(t);
    const overdue = await s.ticket();
    const notDue = await s.ticket({ due: new Date(Date.now() + 86_400_000).toISOString() });
    const paid = await s.ticket();
    await t.admin('POST', `${s.base}/violations/${paid.id}/payments`, { amount: '50.00' });
    const partlyPaid = await s.ticket();
    await t.admin('POST', `${s.base}/violations/${partlyPaid.id}/payments`, { amount: '20.00' });
    const voided = await s.ticket();
    await t.admin('POST', `${s.base}/violations/${voided.id}/void`);
    const appealed = await s.ticket();
    await t.admin('POST', `${s.base}/violations/${appealed.id}/appeal`, { state: 'open' });
    const appealDenied = await s.ticket();
    await t.admin('POST', `${s.base}/violations/${appealDenied.id}/appeal`, { state: 'denied' });
    const adjustedToZero = await s.ticket({ adjusted_fine: 0 });
    const adjustedAndPaid = await s.ticket({ adjusted_fine: '30.00' });
    await t.admin('POST', `${s.base}/violations/${adjustedAndPaid.id}/payments`, { amount: 30 });

    const first = await send(s.tenant);
    expect(first.status).toBe(200);
    expect(tickets(first.body)).toStrictEqual([overdue.ticket, partlyPaid.ticket, appealDenied.ticket].sort());
    expect(first.body.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers['x-batch-id']).toBe(first.body.batch_id);

    const again = await send(s.tenant);
    expect(again.status).toBe(200);
    expect(again.body).toStrictEqual({ batch_id: null, records: [], state: { version: expect.any(String) } });
    expect(again.headers['x-batch-id']).toBeUndefined();
    // an empty poll stores no batch: the operator's list holds only the first
    const batches = await t.admin('GET', `${s.base}/collections-batches?limit=5`);
    expect(batches.items.map((batch: { id: string }) => batch.id)).toStrictEqual([first.body.batch_id]);

    const list = await t.admin('GET', `${s.base}/violations?limit=100`);
    const byId = new Map(list.items.map((item: any) => [item.id, item]));
    for (const sent of [overdue, partlyPaid, appealDenied]) {
      expect((byId.get(sent.id) as any).collections_batch_id).toBe(first.body.batch_id);
    }
    for (const kept of [notDue, paid, voided, appealed, adjustedToZero, adjustedAndPaid]) {
      expect((byId.get(kept.id) as any).sent_to_collections_at).toBeNull();
    }
  });

  it("answers the seed's record shape with nested vehicle, drivers, lookups, location, details, category and state.version", async () => {
    const s = await ticketingTenant(t);
    const written = await s.ticket({ comment: 'blocking the dock' });
    await sql`insert into violation_attachments (client_id, violation_id, uuid, storage_location, name, ext, mime)
              values (${s.tenant.clientId}, ${written.id}, gen_random_uuid(), 'oc/VIOLATIONS/index-1.png', 'index-1', 'png', 'image/png')`.execute(
      t.database.db,
    );
    const response = await send(s.tenant);
    expect(Object.keys(response.body)).toStrictEqual(['batch_id', 'records', 'state']);
    expect(response.body.state).toStrictEqual({ version: expect.any(String) });
    const [record] = response.body.records;
    expect(record).toMatchObject({
      ViolationID: written.id,
      Ticket: written.ticket,
      VehicleID: s.vehicle.id,
      Spoiled: 0,
      TicketType: s.category.id,
      Issued: '2016-05-03T20:00:00.000000Z',
      Due: '2016-05-23T20:00:00.000000Z',
      Fine: 50,
      AdjustedFine: 0,
      LocationID: s.location.id,
      Comment: 'blocking the dock',
      SentToCollections: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      UUID: written.uuid,
      vehicle: {
        VehicleID: s.vehicle.id,
        Plate: 'AJNR123',
        PlateTypeID: 4,
        ProvID: 9,
        MakeID: 13,
        TypeID: 5,
        ColourID: 14,
        drivers: [{ UserID: s.driver.id, firstName: 'stephen_14Oct_1114', lastName: 'stephen_14Oct_1114', loginSource: 'OPSCOM' }],
        make: { MakeID: 13, MakeName: 'Chevrolet' },
        colour: { ColourID: 14, ColourName: 'Red' },
        vehicle_type: { TypeID: 5, TypeName: 'Compact' },
        plate_type: { TypeID: 4, TypeName: 'Passenger' },
        province: { ProvID: 9, ProvName: 'Ontario', Country: 1, ProvCode: 'ON' },
      },
      location: { LocationID: s.location.id, LocationName: 'Downtown Business District' },
      details: [
        {
          ViolationID: written.id,
          Ticket: written.ticket,
          ViolationTypeID: s.type.id,
          offenceFine: 50,
          discountFlag: 1,
          discountAmount: 10,
          discountHours: 168,
          type: {
            ViolationTypeID: s.type.id,
            ViolationDescr: 'Parked in Loading Zone',
            DefaultCost: 50,
            discountFlag: true,
            bylawcode: 'BL-78',
            category_id: s.category.id,
          },
        },
      ],
      attachments: [
        {
          storageLocation: 'oc/VIOLATIONS/index-1.png',
          attachName: 'index-1',
          attachExt: 'png',
          attachMime: 'image/png',
          relatedType: 'VIOLATIONS',
          relatedID: written.id,
          relatedNote: written.ticket,
        },
      ],
      category: { TicketTypeID: s.category.id, TicketTypeName: 'Municipal' },
    });
    expect(Object.keys(record).slice(0, 5)).toStrictEqual(['ViolationID', 'SemPermitID', 'Ticket', 'VehicleID', 'Spoiled']);
    expect(Object.keys(record).slice(-6)).toStrictEqual(['user', 'vehicle', 'location', 'details', 'attachments', 'category']);
    expect(Object.keys(record)).toHaveLength(50);
  });

  it('never answers a secret key, at any depth', async () => {
    const s = await ticketingTenant(t);
    await s.ticket();
    const response = await send(s.tenant);
    expect(response.body.records).toHaveLength(1);
    const secrets = keysOf(response.body).filter((key) => SECRET_KEYS.test(key));
    expect(secrets).toStrictEqual([]);
    expect(JSON.stringify(response.body)).not.toContain(s.tenant.token);
  });

  it('lists the batches newest first, paged with ?cursor= and next_cursor, and refuses a bad cursor', async () => {
    const s = await ticketingTenant(t);
    const batchIds: string[] = [];
    for (let poll = 0; poll < 3; poll++) {
      await s.ticket();
      batchIds.push((await send(s.tenant)).body.batch_id);
    }
    // another client's batch is not listed
    const other = await ticketingTenant(t);
    await other.ticket();
    await send(other.tenant);

    const first = await t.admin('GET', `${s.base}/collections-batches?limit=2`);
    expect(first.items.map((batch: { id: string }) => batch.id)).toStrictEqual([batchIds[2], batchIds[1]]);
    expect(Object.keys(first.items[0]).sort()).toStrictEqual(['created_at', 'id', 'integration_id', 'integration_name', 'record_count', 'total_amount']);
    expect(first.next_cursor).toEqual(expect.any(Number));
    const second = await t.admin('GET', `${s.base}/collections-batches?limit=2&cursor=${first.next_cursor}`);
    expect(second).toStrictEqual({
      items: [
        {
          id: batchIds[0],
          integration_id: s.tenant.integrationId,
          integration_name: 'Test integration',
          record_count: 1,
          total_amount: '50.00',
          created_at: expect.any(String),
        },
      ],
      next_cursor: null,
    });
    const refused = await t.app.inject({
      method: 'GET',
      url: `/admin/v1${s.base}/collections-batches?cursor=-1`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect([refused.statusCode, refused.json()]).toEqual([400, { error: 'cursor: must be at least 1', field: 'cursor' }]);
  });

  it('replays a batch unchanged with "batch_id" and marks nothing', async () => {
    const s = await ticketingTenant(t);
    await s.ticket();
    await s.ticket();
    const first = await t.app.inject({
      method: 'POST',
      url: url(s.tenant),
      headers: { 'content-type': 'application/json' },
      payload: { apiToken: s.tenant.token },
    });
    const batchId = first.json().batch_id;
    const batches = await t.admin('GET', `${s.base}/collections-batches?limit=5`);
    expect(batches.items[0]).toMatchObject({ id: batchId, integration_id: s.tenant.integrationId, record_count: 2 });
    const later = await s.ticket();
    const replay = await t.app.inject({
      method: 'POST',
      url: url(s.tenant),
      headers: { 'content-type': 'application/json' },
      payload: { apiToken: s.tenant.token, batch_id: batchId },
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(first.body);
    const replayUpper = await send(s.tenant, { batchId: batchId.toUpperCase() });
    expect(replayUpper.body).toStrictEqual(first.json());
    const list = await t.admin('GET', `${s.base}/violations`);
    expect(list.items.find((item: any) => item.id === later.id).sent_to_collections_at).toBeNull();
    expect(tickets((await send(s.tenant)).body)).toStrictEqual([later.ticket]);
  });

  it("answers 9009 for an unknown batch or another client's, 9033 for a malformed batch_id", async () => {
    const s = await ticketingTenant(t);
    const other = await ticketingTenant(t);
    await other.ticket();
    const theirs = await send(other.tenant);
    expect(theirs.body.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    const unknown = await send(s.tenant, { batch_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toStrictEqual({ ErrorCode: 9009, ErrorMessage: 'Record not found.', field: 'batch_id' });
    expect((await send(s.tenant, { batch_id: theirs.body.batch_id })).body.ErrorCode).toBe(9009);
    const malformed = await send(s.tenant, { batch_id: 'not-a-batch' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ ErrorCode: 9033, field: 'batch_id' });
    expect((await send(s.tenant, { batch_id: 42 })).body).toMatchObject({ ErrorCode: 9033, field: 'batch_id' });
    // a blank id is a client's bug, not a request for a new export
    await s.ticket();
    for (const blank of ['', '   ']) {
      const response = await send(s.tenant, { batch_id: blank });
      expect([response.status, response.body.ErrorCode, response.body.field]).toStrictEqual([400, 9033, 'batch_id']);
    }
    expect((await send(s.tenant, { batchId: '' })).body).toMatchObject({ ErrorCode: 9033, field: 'batchId' });
    expect((await send(s.tenant)).body.records).toHaveLength(1);
  });

  it('returns each of 1 000 overdue violations exactly once over 20 concurrent calls', async () => {
    const s = await ticketingTenant(t);
    await bulkOverdue(t, s.tenant.clientId, s.vehicle.id, s.type.id, 1000);
    const responses = await Promise.all(Array.from({ length: 20 }, () => send(s.tenant)));
    const seen = responses.flatMap((response) => {
      expect(response.status).toBe(200);
      return response.body.records.map((record: any) => record.ViolationID as number);
    });
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    const unsent = await t.database.db
      .selectFrom('violations')
      .select(sql<string>`count(*)`.as('n'))
      .where('client_id', '=', s.tenant.clientId)
      .where('sent_to_collections_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(unsent.n)).toBe(0);
  });

  it('marks nothing when the export fails midway, and a retry exports everything', async () => {
    const s = await ticketingTenant(t);
    await bulkOverdue(t, s.tenant.clientId, s.vehicle.id, s.type.id, 1500, 'F');
    const db = t.database.db;
    // A fault on the 1 200th row: after the first page of 1 000 is marked and recorded.
    await sql`create function fail_collections_mark() returns trigger language plpgsql as $$
      begin
        if new.ticket = 'F-1200' and new.sent_to_collections_at is not null then raise exception 'injected failure'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_collections_mark before update on violations for each row execute function fail_collections_mark()`.execute(db);
    try {
      const failed = await send(s.tenant);
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ ErrorCode: 500, ErrorMessage: 'Internal server error.' });
    } finally {
      await sql`drop trigger fail_collections_mark on violations`.execute(db);
      await sql`drop function fail_collections_mark()`.execute(db);
    }
    const marked = await db
      .selectFrom('violations')
      .select(sql<string>`count(*)`.as('n'))
      .where('client_id', '=', s.tenant.clientId)
      .where('sent_to_collections_at', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(marked.n)).toBe(0);
    const batches = await db
      .selectFrom('collections_batches')
      .select(sql<string>`count(*)`.as('n'))
      .where('client_id', '=', s.tenant.clientId)
      .executeTakeFirstOrThrow();
    expect(Number(batches.n)).toBe(0);
    const retry = await send(s.tenant);
    expect(retry.body.records).toHaveLength(1500);
    expect(new Set(retry.body.records.map((record: any) => record.ViolationID)).size).toBe(1500);
  });

  it("exports only the caller's client", async () => {
    const mine = await ticketingTenant(t);
    const theirs = await ticketingTenant(t);
    const their = await theirs.ticket();
    expect((await send(mine.tenant)).body.records).toStrictEqual([]);
    expect(tickets((await send(theirs.tenant)).body)).toStrictEqual([their.ticket]);
  });
});

describe.each(DATABASES)('migration 005 on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('numbers the batches a database already holds by creation time, and later ones after them', async () => {
    const { db } = t.database;
    const tenant = await t.tenant();
    // the database as it was before migration 005, holding batches written out of time order
    await sql`alter table collections_batches drop column seq`.execute(db);
    await sql`delete from schema_migrations where version = 5`.execute(db);
    const written = [
      { id: '00000000-0000-4000-8000-000000000003', created_at: new Date('2026-03-01T00:00:00Z') },
      { id: '00000000-0000-4000-8000-000000000001', created_at: new Date('2026-01-01T00:00:00Z') },
      { id: '00000000-0000-4000-8000-000000000002', created_at: new Date('2026-02-01T00:00:00Z') },
    ];
    for (const batch of written) {
      await sql`insert into collections_batches (client_id, id, integration_id, created_at) values (${tenant.clientId}, ${batch.id}, ${tenant.integrationId}, ${batch.created_at})`.execute(
        db,
      );
    }
    expect(await migrate(db)).toStrictEqual(['005_collections_batch_order.sql']);
    await sql`insert into collections_batches (client_id, id, integration_id) values (${tenant.clientId}, ${'00000000-0000-4000-8000-000000000004'}, ${tenant.integrationId})`.execute(
      db,
    );

    const newestFirst = await t.admin('GET', `/clients/${tenant.code}/collections-batches`);
    expect(newestFirst.items.map((batch: { id: string }) => batch.id.slice(-1))).toStrictEqual(['4', '3', '2', '1']);
  });
});
