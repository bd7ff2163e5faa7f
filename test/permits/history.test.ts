import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const input = (date: Date) => date.toISOString().slice(0, 19);

describe.each(DATABASES)('pushed permit history on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
  });
  afterAll(() => t.close());

  const versions = (referenceId: string) =>
    t.database.db
      .selectFrom('pushed_permit_history')
      .select(['plate_norm', 'end_at', 'amount', 'recorded_at', 'superseded_at'])
      .where('client_id', '=', tenant.clientId)
      .where('reference_id', '=', referenceId)
      .orderBy('version_id')
      .execute();
  const call = async (action: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/${action}`, { apiToken: tenant.token, ...body }, headers);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.reference_id as string;
  };

  it('keeps every version of a pushed permit, each with the interval it was current', async () => {
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR);
    const end = new Date(start.getTime() + 3 * HOUR);
    const referenceId = await call('push', { plate: 'HIST-1', startTime: input(start), endTime: input(end), amount: '5.00' });
    const shorter = new Date(start.getTime() + HOUR);
    await call('update', { referenceId, endTime: input(shorter) });
    await call('update', { referenceId, plate: 'HIST2', amount: '7.50' });
    await call('delete', { referenceId });

    const rows = await versions(referenceId);
    expect(rows.map((row) => [row.plate_norm, row.end_at.toISOString(), row.amount])).toEqual([
      ['HIST1', end.toISOString(), '5.00'],
      ['HIST1', shorter.toISOString(), '5.00'],
      ['HIST2', shorter.toISOString(), '7.50'],
    ]);
    // Each version ends when the next begins; the delete closes the last one and opens none.
    for (const [index, row] of rows.entries()) {
      expect(row.superseded_at, `version ${index}`).not.toBeNull();
      expect(row.superseded_at!.getTime()).toBeGreaterThanOrEqual(row.recorded_at.getTime());
      const next = rows[index + 1];
      if (next !== undefined) expect(next.recorded_at).toEqual(row.superseded_at);
    }
    const permit = await t.database.db
      .selectFrom('pushed_permits')
      .select(['created_at', 'deleted_at'])
      .where('client_id', '=', tenant.clientId)
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    expect(rows[0]!.recorded_at).toEqual(permit.created_at);
    expect(rows.at(-1)!.superseded_at).toEqual(permit.deleted_at);
  });

  it('records a push made through an Idempotency-Key once, and nothing for its replay or a refused push', async () => {
    const start = new Date(Date.now() - HOUR);
    const body = { plate: 'HIST-IDEM', startTime: input(start), endTime: input(new Date(start.getTime() + 2 * HOUR)) };
    const referenceId = await call('push', body, { 'idempotency-key': 'history-1' });
    expect(await call('push', body, { 'idempotency-key': 'history-1' })).toBe(referenceId);
    const duplicate = await t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: tenant.token, ...body });
    expect(duplicate.status).toBe(409);
    expect(await versions(referenceId)).toHaveLength(1);
    const all = await sql<{
      n: string;
    }>`select count(*) as n from pushed_permit_history where client_id = ${tenant.clientId} and plate_norm = 'HISTIDEM'`.execute(t.database.db);
    expect(all.rows[0]!.n).toBe('1');
  });

  it('gives the permits on file when history began their current version, from their creation', async () => {
    const db = t.database.db;
    // Back to the schema before migration 011, with permits on file, then migrate again.
    await sql`drop trigger pushed_permits_history_insert on pushed_permits`.execute(db);
    await sql`drop trigger pushed_permits_history_update on pushed_permits`.execute(db);
    await sql`drop function record_pushed_permits_inserted()`.execute(db);
    await sql`drop function record_pushed_permits_updated()`.execute(db);
    await sql`drop table pushed_permit_history`.execute(db);
    await sql`drop index pushed_permits_lot`.execute(db);
    await sql`delete from schema_migrations where version = 11`.execute(db);
    const start = new Date(Date.now() - HOUR);
    const live = await call('push', { plate: 'OLD-LIVE', startTime: input(start), endTime: input(new Date(start.getTime() + 2 * HOUR)) });
    const gone = await call('push', { plate: 'OLD-GONE', startTime: input(start), endTime: input(new Date(start.getTime() + 2 * HOUR)) });
    await call('delete', { referenceId: gone });

    expect(await migrate(db)).toEqual(['011_permit_history.sql']);
    const permits = await db
      .selectFrom('pushed_permits')
      .select(['reference_id', 'created_at', 'deleted_at'])
      .where('client_id', '=', tenant.clientId)
      .where('reference_id', 'in', [live, gone])
      .execute();
    const created = new Map(permits.map((permit) => [permit.reference_id, permit]));
    expect(await versions(live)).toEqual([expect.objectContaining({ plate_norm: 'OLDLIVE', recorded_at: created.get(live)!.created_at, superseded_at: null })]);
    expect(await versions(gone)).toEqual([
      expect.objectContaining({ plate_norm: 'OLDGONE', recorded_at: created.get(gone)!.created_at, superseded_at: created.get(gone)!.deleted_at }),
    ]);
    // And history goes on from there.
    await call('update', { referenceId: live, plate: 'OLD-LIVE-2' });
    expect((await versions(live)).map((row) => row.plate_norm)).toEqual(['OLDLIVE', 'OLDLIVE2']);
  });
});
