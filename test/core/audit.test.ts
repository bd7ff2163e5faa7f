import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

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
