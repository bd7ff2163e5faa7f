import fs from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOperations } from '../../src/admin/operations.js';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

interface Example {
  summary?: string;
  value: Record<string, unknown>;
}
interface PropertySchema {
  description: string;
  [keyword: string]: unknown;
}
interface BodySchema {
  type: string;
  additionalProperties?: unknown;
  required?: string[];
  properties: Record<string, PropertySchema>;
}
interface Media {
  schema: unknown;
  example?: Record<string, unknown>;
  examples?: Record<string, Example>;
}
interface Operation {
  summary: string;
  parameters?: Array<{ in: string; name: string; description?: string }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: BodySchema; example?: Record<string, unknown> }> };
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { description: string; content?: Record<string, Media>; headers?: Record<string, unknown> }>;
}
type Paths = Record<string, Record<string, Operation>>;

const COMMON_CODES = [9000, 9001, 9002, 9003, 9033, 9034, 9040];
const CATALOGUE: Readonly<Record<number, { status: number; message: string }>> = ERROR_CATALOGUE;
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(paths: Paths, prefix: string): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(paths)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, operation]) => ({ path, method, operation })),
    );
}

/** The codes a property's description says it answers: `Missing: 9006; too long: 9030; malformed: 9033.` */
function propertyCodes(description: string): { missing?: number; all: number[] } {
  const missing = /missing: (\d{4})/i.exec(description);
  return {
    ...(missing ? { missing: Number(missing[1]) } : {}),
    all: [...description.matchAll(/(?:missing|too long|malformed): (\d{4})/gi)].map((match) => Number(match[1])),
  };
}

function aliasesOf(description: string): string[] {
  return /Also accepted as: ([^.]+)\./.exec(description)?.[1]?.split(', ') ?? [];
}

/** The error examples of an operation: HTTP status → the code of each example. */
function documentedErrors(operation: Operation): Array<{ status: number; code: number; value: Record<string, unknown> }> {
  return Object.entries(operation.responses)
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([status, response]) =>
      Object.values(response.content?.['application/json']?.examples ?? {}).map((example) => ({
        status: Number(status),
        code: Number(example.value.ErrorCode ?? example.value.error),
        value: example.value,
      })),
    );
}

describe.each(DATABASES)('the OpenAPI document on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  let document: { openapi: string; paths: Paths; components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> } };
  beforeAll(async () => {
    t = await startTestApp(kind);
    tenant = await t.tenant();
    document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(() => t.close());

  /** The integration API's operations (the Genetec face under /api/pbp/ has its own conventions, checked below). */
  const api = () => operations(document.paths, '/api/').filter(({ path }) => !path.startsWith('/api/pbp/'));
  const admin = () => operations(document.paths, '/admin/');
  /** The admin operations, without the session routes (sign-in, the session, sign-out). */
  const adminOperationPaths = () => admin().filter(({ path }) => path !== '/admin/v1/session');
  const bodySchema = (operation: Operation) => operation.requestBody?.content['application/json']?.schema;
  const urlOf = (path: string) => path.replace('{client}', tenant.code).replace('{plate}', 'ZZZ999');

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every integration endpoint: 12 paths, lot-values and changes as GET and POST', () => {
    expect(
      api()
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
        .sort(),
    ).toEqual([
      'GET /api/{client}/v1/changes',
      'GET /api/{client}/v1/permits/lot-values',
      'POST /api/v1/validate/plate',
      'POST /api/{client}/v1/changes',
      'POST /api/{client}/v1/permits/delete',
      'POST /api/{client}/v1/permits/lot-values',
      'POST /api/{client}/v1/permits/push',
      'POST /api/{client}/v1/permits/stats',
      'POST /api/{client}/v1/permits/update',
      'POST /api/{client}/v1/profiles/push',
      'POST /api/{client}/v1/profiles/types/list',
      'POST /api/{client}/v1/validate/plate/{plate}',
      'POST /api/{client}/v1/vehicles/push',
      'POST /api/{client}/v1/violations/send_overdue_to_collections',
    ]);
  });

  it('documents the Genetec face with its X-ApiKey scheme, its bodies and its refusals', () => {
    expect(
      operations(document.paths, '/api/pbp/')
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
        .sort(),
    ).toEqual([
      'GET /api/pbp/v2014-06/zones',
      'GET /api/pbp/v2014-06/zones/{zoneId}/permits',
      'POST /api/pbp/v2014-06/isvalid',
      'POST /api/pbp/v2014-06/permits/search',
    ]);
    expect(document.components.securitySchemes.genetecApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-ApiKey' });
    for (const { path, method, operation } of operations(document.paths, '/api/pbp/')) {
      expect(operation.security, `${method} ${path}`).toEqual([{ genetecApiKey: [] }]);
      expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
      if (method === 'post') expect(operation.requestBody!.required, `${method} ${path}`).toBe(true);
    }
  });

  it('gives every integration operation a body schema with the token, documentation-only', () => {
    for (const { path, method, operation } of api()) {
      const schema = bodySchema(operation);
      expect(schema, `${method} ${path}`).toBeDefined();
      expect(schema!.type).toBe('object');
      expect(schema!.additionalProperties, `${method} ${path}`).toBe(true);
      // A call with the token in Authorization: Bearer may send no body.
      expect(operation.requestBody!.required, `${method} ${path}`).toBe(false);
      expect(schema!.properties.apiToken!.description).toContain('Also accepted as: api_token.');
      expect(schema!.properties.apiToken!.description).toContain('Authorization: Bearer');
      if (path === '/api/v1/validate/plate') expect(schema!.required).toEqual(['client', 'plate']);
      else expect(schema!.properties.client).toBeUndefined();
    }
  });

  it('names aliases, limits and formats from the attribute tables', () => {
    const push = document.paths['/api/{client}/v1/permits/push']!.post!;
    const properties = bodySchema(push)!.properties;
    expect(Object.keys(properties)).toEqual([
      'apiToken',
      'plate',
      'amount',
      'currency',
      'startTime',
      'endTime',
      'permitNo',
      'TicketNumber',
      'zone',
      'promoCode',
    ]);
    expect(properties.plate).toMatchObject({ type: 'string', maxLength: 25 });
    expect(properties.plate!.description).toContain('Also accepted as: LicencePlate, LicensePlate.');
    expect(properties.startTime!.pattern).toBe('^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})$');
    expect(properties.startTime!.description).toContain('YYYY-MM-DDTHH:MM:SS');
    expect(properties.amount!.description).toContain('exactly two decimals');
    expect(bodySchema(push)!.required).toEqual(['plate', 'startTime', 'endTime']);
    const profile = bodySchema(document.paths['/api/{client}/v1/profiles/push']!.post!)!;
    expect(profile.required).toEqual(['unique_id', 'login_source']);
    expect(profile.properties.email!.description).toContain('Required when the push creates the user');
    expect(profile.properties.province!.description).toContain('Also accepted as: state.');
    expect(profile.properties.user_type_id!.anyOf).toEqual([
      { type: 'integer', minimum: 1, maximum: 2147483647 },
      { type: 'string', pattern: '^\\d+$' },
    ]);
  });

  it('describes the path parameters', () => {
    for (const { path, method, operation } of api()) {
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1])) {
        const parameter = operation.parameters?.find((candidate) => candidate.in === 'path' && candidate.name === name);
        expect(parameter?.description, `${method} ${path} {${name}}`).toMatch(/\w/);
      }
    }
  });

  it('lists the Bearer header and the body token for every integration operation', () => {
    expect(document.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, operation } of api()) expect(operation.security, `${method} ${path}`).toEqual([{ apiToken: [] }, {}]);
    for (const { path, method, operation } of adminOperationPaths())
      expect(operation.security, `${method} ${path}`).toEqual([{ adminToken: [] }, { operatorSession: [] }]);
    expect(document.components.securitySchemes.operatorSession).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'pc_session' });
    const session = document.paths['/admin/v1/session']!;
    expect([session.post!.security, session.get!.security, session.delete!.security]).toEqual([[], [{ operatorSession: [] }], [{ operatorSession: [] }]]);
  });

  it('documents the common errors of every integration operation with the catalogue messages', () => {
    for (const { path, method, operation } of api()) {
      const errors = documentedErrors(operation);
      const where = `${method} ${path}`;
      for (const code of COMMON_CODES)
        expect(
          errors.some((error) => error.code === code && error.status === CATALOGUE[code]!.status),
          `${where} ${code}`,
        ).toBe(true);
      expect(
        errors.some((error) => error.status === 413 && error.code === 9003),
        `${where} 413`,
      ).toBe(true);
      expect(operation.responses['429']!.headers, where).toHaveProperty('retry-after');
      for (const { code, value, status } of errors) {
        if (code === 500) continue;
        const message = CATALOGUE[code]!.message;
        expect(value.ErrorMessage ?? value.message, `${where} ${code}`).toBe(message);
        const envelope = path === '/api/v1/validate/plate' ? 'PlateValidationError' : 'ApiError';
        expect(operation.responses[status]!.content!['application/json']!.schema).toEqual({ $ref: `#/components/schemas/${envelope}` });
      }
    }
    expect(document.components.schemas).toHaveProperty('ApiError');
    expect(document.components.schemas).toHaveProperty('PlateValidationError');
  });

  it('documents every code a body attribute answers among the operation’s errors', () => {
    for (const { path, method, operation } of api()) {
      const documented = new Set(documentedErrors(operation).map((error) => error.code));
      for (const [name, property] of Object.entries<{ description: string }>(bodySchema(operation)!.properties)) {
        for (const code of propertyCodes(property.description).all) expect(documented.has(code), `${method} ${path} ${name} ${code}`).toBe(true);
      }
    }
    const push = documentedErrors(document.paths['/api/{client}/v1/permits/push']!.post!);
    expect(push).toContainEqual({ status: 422, code: 9033, value: { ErrorCode: 9033, ErrorMessage: ERROR_CATALOGUE[9033].message } });
    expect(push).toContainEqual({ status: 409, code: 9022, value: { ErrorCode: 9022, ErrorMessage: ERROR_CATALOGUE[9022].message } });
  });

  it('matches the Errors line of each endpoint in docs/api.md', () => {
    const text = fs.readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const { path, method, operation } of api()) {
      const start = text.indexOf(`POST ${path}\``);
      expect(start, path).toBeGreaterThan(0);
      const section = text.slice(start, text.indexOf('\n#', start));
      const line = /Errors: the common ones(,[^.]*)?\./.exec(section);
      expect(line, path).not.toBeNull();
      const listed = [...(line![1] ?? '').matchAll(/\b9\d{3}\b/g)].map(Number);
      const documented = documentedErrors(operation)
        .map((error) => error.code)
        .filter((code) => code !== 500);
      expect([...new Set([...COMMON_CODES, ...listed])].sort(), `${method} ${path}`).toEqual([...new Set(documented)].sort());
    }
  });

  it('requires what the document marks required: the body holding only a Bearer token answers the first one’s code', async () => {
    for (const { path, method, operation } of api()) {
      const schema = bodySchema(operation)!;
      const response = await t.app.inject({ method: method.toUpperCase() as 'POST', url: urlOf(path), headers: { authorization: `Bearer ${tenant.token}` } });
      const where = `${method} ${path}`;
      const first = schema.required?.[0];
      if (first === undefined) {
        expect(response.statusCode, where).toBe(200);
        continue;
      }
      const expected = propertyCodes(schema.properties[first]!.description).missing;
      expect(expected, where).toBeDefined();
      const body = response.json();
      expect(body.ErrorCode ?? body.error, where).toBe(expected);
      expect(response.statusCode, where).toBe(CATALOGUE[expected!]!.status);
    }
  });

  describe('permits/push "Try it out"', () => {
    const pushPath = '/api/{client}/v1/permits/push';
    const push = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: urlOf(pushPath),
        headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
        payload: body,
      });

    it('has the seed example, which succeeds as sent with the Bearer scheme', async () => {
      const media = document.paths[pushPath]!.post!.requestBody!.content['application/json']!;
      expect(media.example).toMatchObject({ LicencePlate: 'PL8RDR', Amount: '14.50', startTime: '2026-11-23T14:00:00' });
      expect(media.example).not.toHaveProperty('apiToken');
      const response = await push(media.example!);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'success', reference_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(document.paths[pushPath]!.post!.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'Idempotency-Key' }));
    });

    it('answers each required attribute’s documented code when the example leaves it out', async () => {
      const schema = bodySchema(document.paths[pushPath]!.post!)!;
      const example = document.paths[pushPath]!.post!.requestBody!.content['application/json']!.example!;
      for (const name of schema.required ?? []) {
        const { description } = schema.properties[name]!;
        const left = Object.fromEntries(Object.entries(example).filter(([key]) => ![name, ...aliasesOf(description)].includes(key)));
        const response = await push(left);
        expect([name, response.json().ErrorCode]).toEqual([name, propertyCodes(description).missing]);
      }
    });
  });

  it('reads bodies by the API’s own rules, not the documented schema: aliases, any case, extra keys, trailing commas', async () => {
    const url = `/api/${tenant.code.toLowerCase()}/v1/permits/push`;
    const odd =
      `{"APITOKEN":"${tenant.token}","licenseplate":"odd-1","STARTDATEUTC":"2026-11-23T14:00:00","enddateutc":"2026-11-23T15:00:00",` +
      `"amount":7,"unknown":{"nested":[1]},}`;
    const first = await t.post(url, odd);
    expect(first.status).toBe(200);
    const again = await t.post(url, odd);
    expect([again.status, again.body.ErrorCode, again.body.reference_id]).toEqual([409, 9022, first.body.reference_id]);
    // A body that is not an object is still the API's 9003, never a schema validator's answer.
    const array = await t.post(url, '[]');
    expect([array.status, array.body]).toEqual([400, { ErrorCode: 9003, ErrorMessage: ERROR_CATALOGUE[9003].message }]);
    const plate = await t.post('/api/v1/validate/plate', { Api_Token: tenant.token, CLIENT: tenant.code.replaceAll('_', '-'), Plate: 'zzz 999' });
    expect([plate.status, plate.body.error, plate.body.data.plate]).toEqual([200, 0, 'ZZZ999']);
  });

  describe('the admin operations', () => {
    it('declare every path parameter, the client code included', () => {
      for (const { path, method, operation } of admin()) {
        const declared = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name)
          .sort();
        expect(declared, `${method} ${path}`).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort());
      }
    });

    it('document 201 for creates and 200 otherwise, with the error answers', async () => {
      // each operation, and the CSV form of the lists that have one
      const csvForms = adminOperations.filter((declared) => declared.csv !== undefined);
      expect(adminOperationPaths().length).toBe(adminOperations.length + csvForms.length);
      for (const declared of csvForms) {
        const path = `/admin/v1${declared.path.replace(/:(\w+)/g, '{$1}')}.csv`;
        expect(Object.keys(document.paths[path]!.get!.responses[200]!.content ?? {}), path).toEqual(['text/csv']);
      }
      for (const declared of adminOperations) {
        const path = `/admin/v1${declared.path.replace(/:(\w+)/g, '{$1}')}`;
        const operation = document.paths[path]![declared.method.toLowerCase()]!;
        const where = `${declared.method} ${path}`;
        if (declared.action === 'create') expect(declared.status, where).toBe(201);
        expect(
          Object.keys(operation.responses).filter((status) => status.startsWith('2')),
          where,
        ).toEqual([String(declared.status)]);
        for (const status of ['400', '401', '429', '500'])
          expect(operation.responses[status]?.content?.['application/json']?.schema, `${where} ${status}`).toEqual({ $ref: '#/components/schemas/AdminError' });
        if (path.includes('{code}')) expect(operation.responses['404'], where).toBeDefined();
      }
      const created = await t.app.inject({
        method: 'POST',
        url: `/admin/v1/clients/${tenant.code}/lots`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { name: 'Documented lot', lot_type: 'M', default_cost: 10, capacity: 5 },
      });
      expect(created.statusCode).toBe(201);
      expect(document.paths['/admin/v1/clients/{code}/lots']!.post!.responses).toHaveProperty('201');
      const refused = await t.app.inject({ method: 'GET', url: `/admin/v1/clients/${tenant.code}/lots` });
      expect([refused.statusCode, refused.json()]).toEqual([
        401,
        document.paths['/admin/v1/clients/{code}/lots']!.get!.responses['401']!.content!['application/json']!.example,
      ]);
    });
  });
});
