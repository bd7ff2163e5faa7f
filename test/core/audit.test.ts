import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DATABASES)('the audit trail on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('writes every other entry of a batch when the database refuses one of them', async () => {
    const tenant = await t.tenant();
    const entry = (requestId: string, latencyMs: number) => ({
      at: new Date(),
      clientId: tenant.clientId,
      clientCode: tenant.code,
      integrationId: null,
      tokenId: null,
      method: 'POST',
      endpoint: '/api/:client/v1/permits/stats',
      errorCode: 0,
      httpStatus: 200,
      latencyMs,
      requestId,
    });
    // numeric(10,3) cannot hold this latency: the row is refused, as any row the database rejects.
    t.app.audit.record(entry('refused', 1e12));
    for (let i = 0; i < 3; i++) t.app.audit.record(entry(`kept-${i}`, 1.5));
    await t.app.audit.flush();
    const rows = await t.database.db.selectFrom('audit_log').select('request_id').where('client_id', '=', tenant.clientId).orderBy('id').execute();
    expect(rows.map((row) => row.request_id)).toEqual(['kept-0', 'kept-1', 'kept-2']);
    expect(t.logs.lines.join('')).toContain('could not write an audit entry');
  });
});

describe.each(DATABASES)('the audit list on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('pages newest first with ?cursor= and next_cursor, without gaps or repeats, and refuses a bad cursor', async () => {
    const tenant = await t.tenant();
    // five calls: four answered, the last one refused (no unique_id), so the newest row is recognisable
    for (let call = 0; call < 4; call++) expect((await t.post(`/api/${tenant.code}/v1/profiles/types/list`, { apiToken: tenant.token })).status).toBe(200);
    expect((await t.post(`/api/${tenant.code}/v1/profiles/push`, { apiToken: tenant.token })).body.ErrorCode).toBe(9013);
    await t.app.audit.flush();

    const seen: Array<{ id: number; error_code: number }> = [];
    const pages: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: Array<{ id: number; error_code: number }>; next_cursor: number | null } = await t.admin(
        'GET',
        `/clients/${tenant.code}/audit?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      pages.push(page.items.length);
      seen.push(...page.items);
      if (page.next_cursor !== null) expect(page.next_cursor).toBe(page.items.at(-1)!.id);
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen.map((row) => row.error_code)).toEqual([9013, 0, 0, 0, 0]);
    const ids = seen.map((row) => row.id);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(5);

    // an exact page: no next_cursor after it
    expect(await t.admin('GET', `/clients/${tenant.code}/audit?limit=5`)).toMatchObject({ next_cursor: null });
    for (const [cursorText, message] of [
      ['0', 'cursor: must be at least 1'],
      ['abc', 'cursor: must be a whole number from 1 (next_cursor of the previous page)'],
      ['9007199254740992', 'cursor: must be at most 9007199254740991'],
    ]) {
      const refused = await t.app.inject({
        method: 'GET',
        url: `/admin/v1/clients/${tenant.code}/audit?cursor=${cursorText}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect([refused.statusCode, refused.json()]).toEqual([400, { error: message, field: 'cursor' }]);
    }
  });
});
