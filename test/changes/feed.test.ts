import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { pruneChanges } from '../../src/changes/feed.js';
import { openDatabase } from '../../src/db/database.js';
import { authCases } from '../helpers/auth-cases.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const local = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);

interface FeedEvent {
  seq: number;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

describe.each(DATABASES)('the change feed on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const feed = (tenant: Tenant, query = '') =>
    t.app.inject({ method: 'GET', url: `/api/${tenant.code}/v1/changes${query}`, headers: { authorization: `Bearer ${tenant.token}` } });
  const events = async (tenant: Tenant, query = '') => {
    const response = await feed(tenant, query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ events: FeedEvent[]; next_cursor: string }>();
  };
  const push = async (tenant: Tenant, plate: string, extra: Record<string, unknown> = {}) => {
    const response = await t.post(`/api/${tenant.code}/v1/permits/push`, {
      apiToken: tenant.token,
      plate,
      startTime: local(-HOUR),
      endTime: local(HOUR),
      ...extra,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.reference_id as string;
  };

  authCases(() => t, { url: (code) => `/api/${code}/v1/changes`, scope: 'changes-read' });

  it('records each permit and lot change once, in order, with the object after the change and no secret', async () => {
    const tenant = await t.tenant();
    expect(await events(tenant)).toEqual({ events: [], next_cursor: '0' });
    const referenceId = await push(tenant, 'FEED1', { zone: 'Lot 4', amount: '14.50', promoCode: 'P20' });
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Lot 4', lot_type: 'M' });
    await t.post(`/api/${tenant.code}/v1/permits/update`, { apiToken: tenant.token, referenceID: referenceId, plate: 'FEED2' });
    await t.post(`/api/${tenant.code}/v1/permits/delete`, { apiToken: tenant.token, referenceID: referenceId });

    const answer = await events(tenant);
    expect(answer.events.map((event) => [event.seq, event.type])).toEqual([
      [1, 'permit.created'],
      [2, 'lot.created'],
      [3, 'permit.updated'],
      [4, 'permit.deleted'],
    ]);
    expect(answer.next_cursor).toBe('4');
    const [created, lot, updated, deleted] = answer.events;
    expect(created!.data).toMatchObject({
      kind: 'pushed',
      reference_id: referenceId,
      plate: 'FEED1',
      zone: 'Lot 4',
      disconnected: true,
      amount: '14.50',
      promo_code: 'P20',
      deleted_at: null,
    });
    expect(lot!.data).toMatchObject({ name: 'Lot 4', lot_type: 'M' });
    expect(updated!.data).toMatchObject({ reference_id: referenceId, plate: 'FEED2' });
    expect(deleted!.data.deleted_at).toEqual(expect.any(String));
    expect(Date.parse(created!.timestamp)).not.toBeNaN();
    expect(JSON.stringify(answer)).not.toContain(tenant.token);

    expect((await events(tenant, '?after=2')).events.map((event) => event.seq)).toEqual([3, 4]);
    expect((await events(tenant, '?after=4')).events).toEqual([]);
    const page = await events(tenant, '?limit=3');
    expect([page.events.length, page.next_cursor]).toEqual([3, '3']);
    const onlyLots = await events(tenant, '?types=lot.created,lot.updated');
    expect([onlyLots.events.map((event) => event.type), onlyLots.next_cursor]).toEqual([['lot.created'], '4']);
    // the body works as well as the query string
    const posted = await t.post(`/api/${tenant.code}/v1/changes`, { apiToken: tenant.token, after: '3' });
    expect(posted.body.events.map((event: FeedEvent) => event.seq)).toEqual([4]);
  });

  it('emits nothing for a change that did not happen: a duplicate push, a duplicate lot', async () => {
    const tenant = await t.tenant();
    // the same times in both: a second boundary crossed between the two is another permit
    const times = { startTime: local(-HOUR), endTime: local(HOUR) };
    await push(tenant, 'DUP1', { permitNo: 'N1', ...times });
    const again = await t.post(`/api/${tenant.code}/v1/permits/push`, { apiToken: tenant.token, plate: 'DUP1', permitNo: 'N1', ...times });
    expect(again.body.ErrorCode).toBe(9022);
    await t.admin('POST', `/clients/${tenant.code}/lots`, { name: 'Twice', lot_type: 'M' });
    const duplicateLot = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/lots`,
      headers: { authorization: `Bearer ${'test-admin-token-0123456789'}` },
      payload: { name: 'Twice', lot_type: 'M' },
    });
    expect(duplicateLot.statusCode).toBe(409);
    expect((await events(tenant)).events.map((event) => event.type)).toEqual(['permit.created', 'lot.created']);
  });

  it('never skips or repeats an event while writers commit concurrently (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('push', 'lot'), { minLength: 5, maxLength: 25 }), async (writes) => {
        const tenant = await t.tenant();
        const seen: number[] = [];
        let cursor: string | undefined;
        let writing = true;
        const reader = (async () => {
          while (writing) {
            const page = await events(tenant, cursor === undefined ? '' : `?after=${cursor}`);
            seen.push(...page.events.map((event) => event.seq));
            cursor = page.next_cursor;
            // a few reads per write, not a busy loop
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })();
        await Promise.all(
          writes.map((write, index) =>
            write === 'push' ? push(tenant, `P${index}X`) : t.admin('POST', `/clients/${tenant.code}/lots`, { name: `Lot ${index}`, lot_type: 'M' }),
          ),
        );
        writing = false;
        await reader;
        const rest = await events(tenant, cursor === undefined ? '' : `?after=${cursor}`);
        seen.push(...rest.events.map((event) => event.seq));
        expect(seen).toEqual(Array.from({ length: writes.length }, (_, index) => index + 1));
      }),
      { numRuns: 8 },
    );
  });

  it('wakes a long poll at the commit, not at its next look', async () => {
    const tenant = await t.tenant();
    const started = Date.now();
    const waiting = events(tenant, '?wait=10');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await push(tenant, 'WAKE1');
    const pushed = Date.now();
    const answer = await waiting;
    expect(answer.events.map((event) => event.type)).toEqual(['permit.created']);
    // Without the wake-up it would answer at its next look, a second after it started waiting.
    expect(Date.now() - pushed).toBeLessThan(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // An empty long poll answers after its wait with no event and the same cursor.
    const before = Date.now();
    expect(await events(tenant, '?after=1&wait=1')).toEqual({ events: [], next_cursor: '1' });
    expect(Date.now() - before).toBeGreaterThanOrEqual(900);
  });

  // Only PostgreSQL is shared by several server processes (PGlite belongs to one).
  if (kind === 'postgres')
    it('wakes a long poll at a commit made through another server process, also after its listening connection is lost', async () => {
      const otherDatabase = await openDatabase({ kind: 'postgres', url: t.database.url! });
      const other = await buildApp({ database: otherDatabase, adminToken: ADMIN_TOKEN, logLevel: 'silent' });
      try {
        const tenant = await t.tenant();
        const bystander = await t.tenant();
        /** A long poll here, a push there once the poll has waited past a look, and how long the poll took after the push. */
        const wakeAfterPush = async (plate: string, after: string) => {
          const waiting = events(tenant, `?after=${after}&wait=10`);
          const idle = events(bystander, '?wait=3');
          // Past its first look (at 1 s): the next comes at 2 s, so an answer within 300 ms is the wake-up.
          await new Promise((resolve) => setTimeout(resolve, 1_150));
          const response = await other.inject({
            method: 'POST',
            url: `/api/${tenant.code}/v1/permits/push`,
            headers: { 'content-type': 'application/json' },
            payload: { apiToken: tenant.token, plate, startTime: local(-HOUR), endTime: local(HOUR) },
          });
          expect(response.statusCode, response.body).toBe(200);
          const pushed = Date.now();
          const answer = await waiting;
          const took = Date.now() - pushed;
          expect(answer.events.map((event) => event.data.plate)).toEqual([plate]);
          // another client's poll is not answered by this client's change
          expect((await idle).events).toEqual([]);
          return { took, cursor: answer.next_cursor };
        };
        const first = await wakeAfterPush('OTHER1', '0');
        expect(first.took).toBeLessThan(300);

        // The listening connection is cut (a server restart, a network fault): it is opened again.
        const cut = await sql<{ cut: boolean }>`
        select pg_terminate_backend(pid) as cut from pg_stat_activity
         where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`.execute(t.database.db);
        expect(cut.rows.length).toBeGreaterThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const again = await wakeAfterPush('OTHER2', first.cursor);
        expect(again.took).toBeLessThan(300);
      } finally {
        await other.close();
        await otherDatabase.close();
      }
    });

  it('answers 410 (9041) for a cursor older than the log keeps, and reads on from what it keeps', async () => {
    const tenant = await t.tenant();
    await push(tenant, 'OLD1');
    await push(tenant, 'OLD2');
    await push(tenant, 'NEW1');
    await sql`update change_log set occurred_at = now() - interval '40 days' where client_id = ${tenant.clientId} and seq <= 2`.execute(t.database.db);
    expect(await pruneChanges(t.database.db, 30)).toBeGreaterThanOrEqual(2);
    const stale = await feed(tenant, '?after=1');
    expect(stale.statusCode).toBe(410);
    expect(stale.json()).toMatchObject({
      ErrorCode: 9041,
      ErrorMessage: 'The cursor is older than the change log keeps: read again without a cursor.',
      field: 'after',
    });
    expect((await events(tenant, '?after=2')).events.map((event) => event.seq)).toEqual([3]);
    expect((await events(tenant)).events.map((event) => event.seq)).toEqual([3]);
  });

  it.each([
    ['?after=abc', 'after'],
    ['?after=99', 'after'],
    ['?limit=0', 'limit'],
    ['?limit=1001', 'limit'],
    ['?types=permit.created,parking.done', 'types'],
    ['?wait=31', 'wait'],
    ['?wait=-1', 'wait'],
  ])('answers %s with 9033 on %s', async (query, field) => {
    const tenant = await t.tenant();
    const response = await feed(tenant, query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ ErrorCode: 9033, field });
  });

  it('shows a client only its own events', async () => {
    const mine = await t.tenant();
    const theirs = await t.tenant();
    await push(theirs, 'THEIRS1');
    expect((await events(mine)).events).toEqual([]);
    expect((await events(theirs)).events).toHaveLength(1);
  });
});
