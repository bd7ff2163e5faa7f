import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { signedInOperator } from '../helpers/sessions.js';
import { ticketingTenant } from './enforcement-fixtures.js';

describe.each(DATABASES)('collections batches in the admin API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/admin/v1${url}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  /** A tenant with three overdue tickets (one adjusted, one with a formula-like ticket number) sent to collections as one batch. */
  async function sentBatch() {
    const s = await ticketingTenant(t);
    const plain = await s.ticket({ fine: '50.00' });
    const adjusted = await s.ticket({ fine: '80.00', adjusted_fine: '25.50' });
    const formula = await s.ticket({ ticket: '=HYPERLINK("x")', fine: '12.25' });
    const sent = await t.post(`/api/${s.tenant.code}/v1/violations/send_overdue_to_collections`, { apiToken: s.tenant.token });
    expect(sent.status).toBe(200);
    return { ...s, batchId: sent.body.batch_id as string, tickets: [plain, adjusted, formula] };
  }

  it('lists batches with their integration and total, and shows one with its records, paged', async () => {
    const s = await sentBatch();
    const list = (await get(`${s.base}/collections-batches`)).json();
    expect(list.items).toEqual([
      {
        id: s.batchId,
        integration_id: s.tenant.integrationId,
        integration_name: 'Test integration',
        record_count: 3,
        total_amount: '87.75',
        created_at: expect.any(String),
      },
    ]);

    const first = (await get(`${s.base}/collections-batches/${s.batchId}?limit=2`)).json();
    expect(first).toMatchObject({ ...list.items[0], next_cursor: s.tickets[1]!.id });
    expect(first.records).toEqual([
      {
        violation_id: s.tickets[0]!.id,
        ticket: s.tickets[0]!.ticket,
        plate: 'AJNR123',
        issued: '2016-05-03T20:00:00.000000Z',
        due: '2016-05-23T20:00:00.000000Z',
        amount: '50.00',
        record: expect.objectContaining({ ViolationID: s.tickets[0]!.id, Ticket: s.tickets[0]!.ticket, UUID: s.tickets[0]!.uuid }),
      },
      expect.objectContaining({ violation_id: s.tickets[1]!.id, amount: '25.50' }),
    ]);
    const second = (await get(`${s.base}/collections-batches/${s.batchId}?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second.records.map((record: { violation_id: number }) => record.violation_id)).toEqual([s.tickets[2]!.id]);
    expect(second.next_cursor).toBeNull();
    // the records are the ones the integration received
    const replay = await t.post(`/api/${s.tenant.code}/v1/violations/send_overdue_to_collections`, { apiToken: s.tenant.token, batch_id: s.batchId });
    expect([...first.records, ...second.records].map((record: { record: unknown }) => record.record)).toEqual(replay.body.records);
  });

  it('answers every record of a batch as CSV at {id}.csv: a header, CRLF lines, formulas defused', async () => {
    const s = await sentBatch();
    const response = await get(`${s.base}/collections-batches/${s.batchId}.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="collections-batch-${s.tenant.code}-${s.batchId}.csv"`);
    expect(response.body).toBe(
      [
        'violation_id,ticket,plate,issued,due,amount',
        `${s.tickets[0]!.id},${s.tickets[0]!.ticket},AJNR123,2016-05-03T20:00:00.000000Z,2016-05-23T20:00:00.000000Z,50.00`,
        `${s.tickets[1]!.id},${s.tickets[1]!.ticket},AJNR123,2016-05-03T20:00:00.000000Z,2016-05-23T20:00:00.000000Z,25.50`,
        // a cell a spreadsheet would run as a formula starts with a quote
        `${s.tickets[2]!.id},"'=HYPERLINK(""x"")",AJNR123,2016-05-03T20:00:00.000000Z,2016-05-23T20:00:00.000000Z,12.25`,
        '',
      ].join('\r\n'),
    );
    // the JSON form is unchanged
    const json = await get(`${s.base}/collections-batches/${s.batchId}`);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it("refuses hostile values, another client's batch and roles other than admin and finance", async () => {
    const s = await sentBatch();
    const other = await t.tenant();
    for (const [url, status, answer] of [
      [`${s.base}/collections-batches/not-a-uuid.csv`, 400, { error: 'id: must be a batch id (a UUID)', field: 'id' }],
      [`${s.base}/collections-batches/not-a-uuid`, 400, { error: 'id: must be a batch id (a UUID)', field: 'id' }],
      [`${s.base}/collections-batches/${s.batchId}?limit=0`, 400, { error: 'limit: must be at least 1', field: 'limit' }],
      [`${s.base}/collections-batches/${s.batchId}?cursor=-1`, 400, expect.objectContaining({ field: 'cursor' })],
      [`${s.base}/collections-batches/${s.batchId}%00`, 400, expect.objectContaining({ field: 'id' })],
      [
        `${s.base}/collections-batches/00000000-0000-4000-8000-000000000000`,
        404,
        { error: 'no collections batch 00000000-0000-4000-8000-000000000000 for this client', field: 'id' },
      ],
      [`/clients/${other.code}/collections-batches/${s.batchId}`, 404, { error: `no collections batch ${s.batchId} for this client`, field: 'id' }],
    ] as const) {
      const response = await get(url);
      expect([url, response.statusCode, response.json()]).toEqual([url, status, answer]);
    }
    const officer = await signedInOperator(t, 'officer', s.tenant.code);
    for (const url of ['/collections-batches', `/collections-batches/${s.batchId}`, `/collections-batches/${s.batchId}.csv`]) {
      expect((await officer.call('GET', `${s.base}${url}`)).statusCode).toBe(403);
    }
    const finance = await signedInOperator(t, 'finance', s.tenant.code);
    const csv = await finance.call('GET', `${s.base}/collections-batches/${s.batchId}.csv`);
    expect([csv.statusCode, csv.body.split('\r\n').length]).toEqual([200, 5]);
    const otherFinance = await signedInOperator(t, 'finance', other.code);
    expect((await otherFinance.call('GET', `${s.base}/collections-batches/${s.batchId}`)).statusCode).toBe(404);
  });
});
