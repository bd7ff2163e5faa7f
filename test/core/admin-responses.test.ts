import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminOperation } from '../../src/admin/operation.js';
import { adminOperations } from '../../src/admin/operations.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

// The formats the answers' schemas name, checked as strictly as the answers are written.
FormatRegistry.Set('date-time', (text) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text)));
FormatRegistry.Set('date', (text) => /^\d{4}-\d{2}-\d{2}$/.test(text));

type Method = AdminOperation['method'];

const nameOf = (operation: AdminOperation) => `${operation.resource} ${operation.action}`;

/**
 * A schema as the OpenAPI document writes it: JSON, with each `const` written as a one-value
 * `enum` (@fastify/swagger's spelling).
 */
function asDocumented(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || !('const' in value)) return value;
    const { const: only, ...rest } = value;
    return { ...rest, enum: [only] };
  });
}

/** The problems of an answer against a schema, one line each (none: it conforms). */
function problems(operation: AdminOperation, answer: unknown): string[] {
  return [...Value.Errors(operation.response, answer)].map((error) => `${error.path || '/'}: ${error.message}`);
}

describe.each(DATABASES)('admin answers against their documented schemas on %s', (kind) => {
  let t: TestApp;
  let documentPaths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  const covered = new Set<AdminOperation>();
  const answers = new Map<AdminOperation, unknown>();

  beforeAll(async () => {
    t = await startTestApp(kind, undefined, undefined, { allowLoopback: true });
    documentPaths = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths;
  });
  afterAll(() => t.close());

  /**
   * Calls the admin route of the operation declared at `method` `path`, and checks its answer:
   * the operation's success status, the document showing the operation's response schema, and
   * the JSON answer conforming to it.
   */
  async function call(method: Method, path: string, values: Record<string, string | number>, payload?: object) {
    const operation = adminOperations.find((candidate) => candidate.method === method && candidate.path === path);
    if (operation === undefined) throw new Error(`no operation ${method} ${path}`);
    const url = `/admin/v1${path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(values[name])))}`;
    const response = await t.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, ...(payload === undefined ? {} : { payload }) });
    const where = `${nameOf(operation)} (${method} ${url})`;
    expect(response.statusCode, `${where}: ${response.body}`).toBe(operation.status);
    const documented = documentPaths[`/admin/v1${path.replace(/:(\w+)/g, '{$1}')}`]?.[method.toLowerCase()]?.responses[String(operation.status)];
    expect(documented?.content?.['application/json']?.schema, where).toEqual(asDocumented(operation.response));
    const answer: unknown = response.json();
    expect(problems(operation, answer), where).toEqual([]);
    covered.add(operation);
    answers.set(operation, answer);
    return response.json();
  }

  it('answers every operation with what its response schema documents', async () => {
    const past = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const code = `RESP_${kind.toUpperCase()}`;
    const client = { code };

    await call('POST', '/clients', {}, { code, name: 'Documented answers', timezone: 'America/Toronto' });
    const clients = await call('GET', '/clients', {});
    expect(clients.items.map((item: { code: string }) => item.code)).toContain(code);
    await call('GET', '/clients/:code', client);
    await call('PATCH', '/clients/:code', client, { currency: 'usd' });

    const integration = await call('POST', '/clients/:code/integrations', client, { name: 'Pay station', origin: 'paystation' });
    await call('PATCH', '/clients/:code/integrations/:id', { ...client, id: integration.id }, { rate_limit_per_minute: null });
    await call('GET', '/clients/:code/integrations', client);
    const token = await call('POST', '/clients/:code/tokens', client, { integration: integration.id, scopes: 'all' });
    await call('GET', '/clients/:code/tokens', client);
    await call('POST', '/clients/:code/login-sources', client, { name: 'CAMPUS' });
    await call('GET', '/clients/:code/login-sources', client);

    const lot = await call('POST', '/clients/:code/lots', client, { name: 'Lot A', lot_type: 'm', default_cost: '12.50', capacity: 10, tax_rate1: 5 });
    await call('GET', '/clients/:code/lots', client);
    await call('POST', '/clients/:code/permit-types', client, { short_name: 'LA', lot: 'Lot A' });
    await call('GET', '/clients/:code/permit-types', client);

    const userType = await call('POST', '/clients/:code/user-types', client, { type_name: 'Staff', ext_info: 'Staff' });
    await call('GET', '/clients/:code/user-types', client);
    const lockerType = await call('POST', '/clients/:code/locker-user-types', client, { type_name: 'Large locker' });
    await call('GET', '/clients/:code/locker-user-types', client);
    const user = await call('POST', '/clients/:code/users', client, {
      unique_id: 'U-1',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.org',
      user_type_id: userType.id,
      locker_user_type_id: lockerType.id,
      date_of_birth: '1990-12-10',
    });
    expect(user.date_of_birth).toBe('1990-12-10');
    await call('GET', '/clients/:code/users', client);
    await call('GET', '/clients/:code/users/:id', { ...client, id: user.id });

    for (const resource of ['plate-types', 'provinces', 'makes', 'vehicle-types', 'colours']) {
      await call('POST', `/clients/:code/${resource}`, client, { name: `Documented ${resource}`, code: 'DC', country: 'ca' });
      await call('GET', `/clients/:code/${resource}`, client);
    }
    const vehicle = await call('POST', '/clients/:code/vehicles', client, {
      plate: 'DOC 123',
      plateType: 'Passenger',
      prov: 'ON',
      make: 'Unheard-of make',
      colour: 'Red',
      year: 2020,
      driver_user_ids: [user.id],
    });
    expect(vehicle.warnings).toHaveLength(1);
    await call('GET', '/clients/:code/vehicles', client);
    await call('GET', '/clients/:code/vehicles/:id', { ...client, id: vehicle.id });
    const second = await call('POST', '/clients/:code/vehicles', client, { plate: 'DOC 456', plateTypeID: 4, provID: 9 });
    await call('POST', '/clients/:code/vehicles/:id/drivers', { ...client, id: second.id }, { user_id: user.id });

    await call('POST', '/clients/:code/permits', client, {
      permit_type: 'LA',
      user_id: user.id,
      vehicle_ids: [vehicle.id],
      plates: ['DOC 789'],
      start: past(1),
      end: past(-30),
    });
    const pushed = await t.post(
      `/api/${code}/v1/permits/push`,
      { LicencePlate: 'PUSH 1', zone: 'Nowhere', startTime: '2026-11-23T14:00:00', endTime: '2026-11-23T18:00:00', Amount: '3.00' },
      { authorization: `Bearer ${token.token}` },
    );
    expect(pushed.status).toBe(200);
    const lotValues = await call('GET', '/clients/:code/lot-values', client);
    expect(lotValues.items).toEqual([expect.objectContaining({ lot_name: 'Lot A', total_permits: 10, rented_permits: 1, utilized_pct: 10 })]);
    const permits = await call('GET', '/clients/:code/permits', client);
    expect(permits.items.map((item: { kind: string }) => item.kind)).toEqual(['standard', 'pushed']);
    const paystation = await call('GET', '/clients/:code/pushed-permits', client);
    expect(paystation.items).toEqual([expect.objectContaining({ plate: 'PUSH 1', zone: 'Nowhere', lot: null, disconnected: true })]);
    await call('PATCH', '/clients/:code/lots/:id', { ...client, id: lot.id }, { capacity: 12, name: 'Lot A' });
    const alias = await call('POST', '/clients/:code/lots/:id/aliases', { ...client, id: lot.id }, { name: 'nowhere' });
    expect(alias.reconnected_permits).toBe(1);
    await call('GET', '/clients/:code/lots/:id/aliases', { ...client, id: lot.id });
    await call('DELETE', '/clients/:code/lots/:id/aliases/:alias_id', { ...client, id: lot.id, alias_id: alias.id });

    await call('POST', '/clients/:code/dntt', client, { plate: 'DOC 123', start: past(1), end: past(-1), notes: 'visiting' });
    await call('GET', '/clients/:code/dntt', client);
    const ending = await call('POST', '/clients/:code/dntt', client, { plate: 'DOC 999', start: past(1), end: past(-1) });
    const ended = await call('POST', '/clients/:code/dntt/:id/end', { ...client, id: ending.id });
    expect(Date.parse(ended.end_at)).toBeLessThanOrEqual(Date.now());
    await call('PUT', '/clients/:code/vehicles/:id/alert', { ...client, id: vehicle.id }, { text: 'Stolen' });
    await call('DELETE', '/clients/:code/vehicles/:id/alert', { ...client, id: vehicle.id });
    await call('PUT', '/clients/:code/users/:id/alert', { ...client, id: user.id }, { text: 'Call security' });
    await call('DELETE', '/clients/:code/users/:id/alert', { ...client, id: user.id });

    await call('POST', '/clients/:code/locations', client, { name: 'Downtown' });
    await call('GET', '/clients/:code/locations', client);
    await call('POST', '/clients/:code/ticket-categories', client, { name: 'Municipal' });
    await call('GET', '/clients/:code/ticket-categories', client);
    const type = await call('POST', '/clients/:code/violation-types', client, { description: 'Loading zone', default_cost: '50.00', category: 'Municipal' });
    await call('GET', '/clients/:code/violation-types', client);
    const ticket = (number: string) => ({
      ticket: number,
      vehicle_id: vehicle.id,
      location: 'Downtown',
      category: 'Municipal',
      violation_type_ids: [type.id],
      issued: past(30),
      due: past(10),
    });
    const overdue = await call('POST', '/clients/:code/violations', client, ticket('T-1'));
    const paid = await call('POST', '/clients/:code/violations', client, ticket('T-2'));
    const appealed = await call('POST', '/clients/:code/violations', client, ticket('T-3'));
    await call('POST', '/clients/:code/violations/:id/payments', { ...client, id: paid.id }, { amount: '20.00' });
    await call('POST', '/clients/:code/violations/:id/void', { ...client, id: paid.id });
    await call('POST', '/clients/:code/violations/:id/appeal', { ...client, id: appealed.id }, { state: 'open' });
    const collections = await t.post(`/api/${code}/v1/violations/send_overdue_to_collections`, {}, { authorization: `Bearer ${token.token}` });
    expect(collections.status).toBe(200);
    const batches = await call('GET', '/clients/:code/collections-batches', client);
    const batch = await call('GET', '/clients/:code/collections-batches/:id', { ...client, id: batches.items[0].id });
    expect(batch.records.map((record: { violation_id: number }) => record.violation_id)).toEqual([overdue.id]);
    const violations = await call('GET', '/clients/:code/violations', client);
    const shown = await call('GET', '/clients/:code/violations/:id', { ...client, id: paid.id });
    expect(shown.payments).toHaveLength(1);
    expect(violations.items.find((item: { id: number }) => item.id === overdue.id).sent_to_collections_at).not.toBeNull();

    // nothing listens on port 9: every send is refused, which the answers record
    const webhook = await call('POST', '/clients/:code/webhooks', client, { url: 'http://127.0.0.1:9/hook', event_types: ['permit.created'] });
    await call('GET', '/clients/:code/webhooks', client);
    await call('PATCH', '/clients/:code/webhooks/:id', { ...client, id: webhook.id }, { description: 'Documented', enabled: false });
    await call('POST', '/clients/:code/webhooks/:id/rotate-secret', { ...client, id: webhook.id });
    const test = await call('POST', '/clients/:code/webhooks/:id/test', { ...client, id: webhook.id });
    expect(test).toMatchObject({ status: 'failed', last_status_code: null });
    await call('GET', '/clients/:code/webhooks/:id/deliveries', { ...client, id: webhook.id });
    await call('POST', '/clients/:code/webhooks/:id/deliveries/:delivery/redeliver', { ...client, id: webhook.id, delivery: test.id });
    await call('DELETE', '/clients/:code/webhooks/:id', { ...client, id: webhook.id });

    const audit = await call('GET', '/clients/:code/audit', client);
    expect(audit.items.length).toBeGreaterThanOrEqual(2);
    const rotated = await call('POST', '/clients/:code/tokens/:id/rotate', { ...client, id: token.id }, { grace_seconds: 60 });
    expect(rotated.replaced.rotated_to).toBe(rotated.id);
    await call('DELETE', '/clients/:code/tokens/:id', { ...client, id: token.id });

    const dashboard = await call('GET', '/clients/:code/dashboard', client);
    expect(dashboard.overdue_violations).toBe(0);
    const lookup = await call('GET', '/clients/:code/plates/:plate', { ...client, plate: 'doc 123' });
    expect(lookup.dntt).toHaveLength(1);

    const operator = { username: `clerk-${kind}` };
    await call(
      'POST',
      '/operators',
      {},
      { username: operator.username, display_name: 'Clerk', role: 'officer', client: code, password: 'a long enough password' },
    );
    await call('GET', '/operators', {});
    await call('GET', '/operators/:username', operator);
    await call('PATCH', '/operators/:username', operator, { display_name: 'Clerk Two' });
    await call('POST', '/operators/:username/disable', operator);
    await call('POST', '/operators/:username/enable', operator);
    await call('PUT', '/operators/:username/password', operator, { password: 'another long password' });
    const actions = await call('GET', '/operator-actions', {});
    expect(actions.items.length).toBeGreaterThanOrEqual(5);

    expect(adminOperations.filter((operation) => !covered.has(operation)).map(nameOf)).toEqual([]);
  });

  it('refuses, by the documented schemas, what the answers must never be', () => {
    const lots = adminOperations.find((operation) => nameOf(operation) === 'lots create')!;
    const lot = answers.get(lots);
    expect(lot).toMatchObject({ name: 'Lot A', lot_type: 'M', default_cost: '12.50', tax_rate1: '5.000' });
    // A key the document does not name, a time that is not ISO-8601 text, a missing key, a
    // decimal as a JSON number: each is a problem.
    expect(problems(lots, { ...(lot as object), secret: 'x' })).not.toEqual([]);
    expect(problems(lots, { ...(lot as object), created_at: Date.now() })).not.toEqual([]);
    expect(problems(lots, { ...(lot as object), created_at: 'yesterday' })).not.toEqual([]);
    const { capacity: _capacity, ...withoutCapacity } = lot as Record<string, unknown>;
    expect(problems(lots, withoutCapacity)).not.toEqual([]);
    expect(problems(lots, { ...(lot as object), default_cost: 12.5 })).not.toEqual([]);
    const permits = adminOperations.find((operation) => nameOf(operation) === 'permits list')!;
    const page = answers.get(permits) as { items: Array<Record<string, unknown>>; next_cursor: number | null };
    expect(problems(permits, { ...page, next_cursor: 'next' })).not.toEqual([]);
    expect(problems(permits, { ...page, items: page.items.map((item) => ({ ...item, kind: 'other' })) })).not.toEqual([]);
  });
});
