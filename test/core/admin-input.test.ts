import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOperations } from '../../src/admin/operations.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

/** Values no operator field accepts in this form: each must be answered 4xx, never 500. */
const HOSTILE_VALUES: unknown[] = ['A\u0000B', 2_147_483_648, 1e300, -1, 1.5, '', 'x'.repeat(10_000), true, null, [], {}, ['A\u0000'], { nested: 'A\u0000' }];
/** A value the schema accepts, so that a body is otherwise valid and a hostile field reaches the service. */
function sample(schema: TSchema): unknown {
  if (Array.isArray(schema.anyOf)) return sample(schema.anyOf[0]);
  if (schema.const !== undefined) return schema.const;
  switch (schema.type) {
    case 'string':
      if (typeof schema.pattern === 'string') return ['2026-01-01T00:00:00Z', '1.00'].find((text) => new RegExp(schema.pattern).test(text));
      return 'Sample'.padEnd(typeof schema.minLength === 'number' ? schema.minLength : 0, 'x');
    case 'integer':
    case 'number':
      return Math.max(1, typeof schema.minimum === 'number' ? schema.minimum : 0);
    case 'boolean':
      return true;
    case 'array':
      return [sample(schema.items)];
    default: {
      const required: string[] = schema.required ?? [];
      return Object.fromEntries(required.map((name) => [name, sample(schema.properties[name])]));
    }
  }
}

/** The same, as text in a path or a query string. */
const HOSTILE_TEXT = ['%00', 'A%00B', '2147483648', '99999999999999999999', '-1', '1.5', 'abc', '1e300', '%E2%82'];

describe.each(DATABASES)('admin input on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
  });
  afterAll(() => t.close());

  const send = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('answers bad input with a sentence naming the field and what it takes, never a schema path or regex', async () => {
    const cases: Array<[method: string, url: string, body: unknown, error: string, field: string]> = [
      [
        'POST',
        `/clients/${tenant.code}/permits`,
        { permit_type: 'X', start: 'tomorrow', end: '2027-01-01T00:00:00Z' },
        'start: must be an ISO-8601 time with an offset, e.g. 2026-11-24T10:00:00Z',
        'start',
      ],
      ['POST', `/clients/${tenant.code}/lots`, { lot_type: 'M' }, 'name: required', 'name'],
      [
        'POST',
        `/clients/${tenant.code}/lots`,
        { name: 'L', lot_type: 'M', default_cost: '12.345' },
        'default_cost: must be an amount up to 9999999999.99 with at most two decimals, e.g. 12.50',
        'default_cost',
      ],
      ['POST', `/clients/${tenant.code}/lots`, { name: 'L', lot_type: 'M', capacity: 2_147_483_648 }, 'capacity: must be at most 2147483647', 'capacity'],
      ['POST', `/clients/${tenant.code}/permit-types`, { short_name: 'P', lot: true }, 'lot: must be a lot id or name', 'lot'],
      [
        'POST',
        `/clients/${tenant.code}/permits`,
        { permit_type: 'X', start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z', vehicle_ids: [1, 'two'] },
        'vehicle_ids[1]: must be a whole number from 1',
        'vehicle_ids',
      ],
      [
        'POST',
        `/clients/${tenant.code}/vehicles`,
        { plate: 'A1', driver_user_ids: Array.from({ length: 70_000 }, (_, i) => i + 1) },
        'driver_user_ids: must have at most 100 items',
        'driver_user_ids',
      ],
      ['GET', `/clients/${tenant.code}/lots?cursor=2147483648`, undefined, 'cursor: must be at most 2147483647', 'cursor'],
      ['GET', `/clients/${tenant.code}/lots?limit=0`, undefined, 'limit: must be at least 1', 'limit'],
      ['GET', `/clients/${tenant.code}/users/2147483648`, undefined, 'id: must be at most 2147483647', 'id'],
      ['GET', `/clients/${tenant.code}/users/abc`, undefined, 'id: must be a whole number from 1', 'id'],
      ['GET', `/clients/${tenant.code}/vehicles?plate=A%00B`, undefined, 'plate: must not contain the NUL character (U+0000)', 'plate'],
      ['POST', `/clients/${tenant.code}/lots`, { name: 'Lot\u0000', lot_type: 'M' }, 'name: must not contain the NUL character (U+0000)', 'name'],
      ['GET', `/clients/A%00B/lots`, undefined, 'code: must not contain the NUL character (U+0000)', 'code'],
    ];
    for (const [method, url, body, error, field] of cases) {
      const response = await send(method, url, body);
      expect({ url, status: response.statusCode, body: response.json() }).toEqual({ url, status: 400, body: { error, field } });
    }
  });

  it('answers every operation 4xx, never 500, for hostile values in every path parameter, query field and body field', async () => {
    const failures: string[] = [];
    let sent = 0;
    const check = async (method: string, url: string, payload?: unknown) => {
      const response = await send(method, url, payload);
      sent++;
      if (response.statusCode >= 500) failures.push(`${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)} → ${response.statusCode} ${response.body}`);
    };
    for (const operation of adminOperations) {
      expect(Value.Check(operation.body, sample(operation.body)), `${operation.resource} ${operation.action}`).toBe(true);
      const path = (code: string, params: Record<string, string> = {}) =>
        operation.path.replace(':code', code).replace(/:([a-z_]+)/g, (_match, name: string) => params[name] ?? '1');
      for (const text of HOSTILE_TEXT) {
        if (operation.path.includes(':code')) await check(operation.method, path(text));
        for (const name of Object.keys(operation.params.properties)) await check(operation.method, path(tenant.code, { [name]: text }));
        for (const name of Object.keys(operation.query.properties)) await check(operation.method, `${path(tenant.code)}?${name}=${text}`);
      }
      const properties: Record<string, TSchema> = operation.body.properties;
      for (const name of Object.keys(properties)) {
        const base = sample(operation.body);
        for (const value of HOSTILE_VALUES) await check(operation.method, path(tenant.code), { ...(base as object), [name]: value });
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1_000);
    // thousands of requests, more with every operation added: beyond the default 30 s on a busy machine
  }, 120_000);
});
