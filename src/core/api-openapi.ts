import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode } from './errors.js';
import { AMOUNT, AMOUNT_HINT, DATE, DATE_HINT, FLAG_HINT, MAX_ID, TIMESTAMP, TIMESTAMP_HINT, type FieldSpec } from './fields.js';

/**
 * The OpenAPI description of an integration endpoint, built from the same declarations the
 * server runs on: the attribute tables (src/[area]/fields.ts), the catalogue and each route's
 * list of codes. It is documentation only: it is given to the document generator, never to
 * Fastify, so no validator or serialiser ever sees it (the API reads bodies with its own
 * alias-aware, case-insensitive rules, which no JSON schema can express).
 */

/** An attribute an endpoint reads from the body. */
export interface BodyAttribute {
  readonly spec: FieldSpec;
  /** `true` when every request must give it; the condition, in words, when only some must. */
  readonly required?: true | string;
}

/** A code an endpoint answers with another HTTP status than the catalogue's, and when. */
export interface ErrorAtStatus {
  readonly code: ErrorCode;
  readonly status: number;
  readonly when: string;
}

export type RouteError = ErrorCode | ErrorAtStatus;

/**
 * The two response envelopes: the seed's `{"ErrorCode","ErrorMessage"}` used by every endpoint
 * under /api/{client}/, and plate validation's `{"error","data","message"}`.
 */
export type Envelope = 'seed' | 'plate';

/** What the document needs of a route (a subset of ApiRouteDefinition). */
export interface DocumentedRoute {
  /** Below /api, e.g. `/:client/v1/permits/push`. */
  readonly url: string;
  readonly envelope?: Envelope;
  /** JSON schema of the 200 response (documentation and fast serialisation). */
  readonly response?: TSchema;
  /** The body attributes the handler reads, in the order it checks them (the token and a body `client` are added). */
  readonly attributes: readonly BodyAttribute[];
  /**
   * The codes the endpoint answers besides the common ones: the same list as the "Errors:" line
   * of its section in docs/api.md.
   */
  readonly errors: readonly RouteError[];
  /** A request body that succeeds (without the token: "Try it out" sends it in the header). */
  readonly example?: Readonly<Record<string, unknown>>;
  /** Request headers the endpoint reads, besides Authorization. */
  readonly requestHeaders?: Readonly<Record<string, JsonSchema>>;
}

export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The codes every endpoint may answer before reading its own attributes (docs/api.md#order-of-checks):
 * body, client code, token (9033 when the body's token is not text), token of that client, scope,
 * request limits.
 */
const COMMON_ERRORS: readonly ErrorCode[] = [9000, 9001, 9002, 9003, 9033, 9034, 9040];

/** The integration token in the body; a Bearer header may carry it instead. */
export const TOKEN_FIELD: FieldSpec<'text'> = {
  names: ['apiToken', 'api_token'],
  kind: 'text',
  max: 255,
  missing: 9001,
  tooLong: 9034,
  about: 'the API token; it may be sent as Authorization: Bearer instead, and the body wins when both are',
};

/** The client code in the body, for the endpoints that take it there (plate validation). */
export const CLIENT_FIELD: FieldSpec<'text'> = {
  names: ['client'],
  kind: 'text',
  max: 100,
  missing: 9000,
  tooLong: 9034,
  about: 'the client code, matched in any case with - and _ alike (OC-TOMA is OC_TOMA); an unknown code is 9034',
};

/**
 * Every attribute of a table, in the table's order, for endpoints that read the whole table;
 * `required` marks the ones some or all requests must give.
 */
export function attributesOf(table: Readonly<Record<string, FieldSpec>>, required: ReadonlyMap<FieldSpec, true | string>): BodyAttribute[] {
  return Object.values(table).map((spec) => {
    const requirement = required.get(spec);
    return requirement === undefined ? { spec } : { spec, required: requirement };
  });
}

/** The codes an attribute answers with: missing (when some request must give it), too long, malformed. */
function attributeErrors(attribute: BodyAttribute): Array<{ code: ErrorCode; what: 'missing' | 'too long' | 'malformed' }> {
  const { spec } = attribute;
  const codes: Array<{ code: ErrorCode; what: 'missing' | 'too long' | 'malformed' }> = [];
  if (attribute.required !== undefined) codes.push({ code: spec.missing ?? 9031, what: 'missing' });
  // A cut-text attribute's overflow is cut with a warning, never refused.
  if (spec.max !== undefined && spec.kind !== 'cut-text') codes.push({ code: spec.tooLong ?? 9030, what: 'too long' });
  codes.push({ code: spec.invalid ?? 9033, what: 'malformed' });
  return codes;
}

function valueSchema(spec: FieldSpec): { schema: JsonSchema; form: string } {
  switch (spec.kind) {
    case 'text':
      return {
        schema: { type: 'string', ...(spec.max === undefined ? {} : { maxLength: spec.max }) },
        form: spec.max === undefined ? 'text' : `text of at most ${spec.max} characters`,
      };
    case 'cut-text':
      return { schema: { type: ['string', 'number'] }, form: `text (a number is read as its text); past ${spec.max} characters it is cut, with a warning` };
    case 'id':
      return {
        schema: {
          anyOf: [
            { type: 'integer', minimum: 1, maximum: MAX_ID },
            { type: 'string', pattern: '^\\d+$' },
          ],
        },
        form: `a positive integer up to ${MAX_ID}, as a number or its decimal text`,
      };
    case 'amount':
      return {
        schema: {
          anyOf: [
            { type: 'string', pattern: AMOUNT.source },
            { type: 'number', minimum: 0.01, maximum: 999_999.99 },
          ],
        },
        form: AMOUNT_HINT,
      };
    case 'timestamp':
      return { schema: { type: 'string', pattern: TIMESTAMP.source, examples: ['2026-11-24T10:00:00'] }, form: TIMESTAMP_HINT };
    case 'date':
      return { schema: { type: 'string', pattern: DATE.source, examples: ['2026-11-24'] }, form: DATE_HINT };
    case 'year':
      return {
        schema: {
          anyOf: [
            { type: 'integer', minimum: 1000, maximum: 9999 },
            { type: 'string', pattern: '^\\d{4}$' },
          ],
        },
        form: 'a four-digit year, as a number or text',
      };
    case 'flag':
      return {
        schema: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', '1', '0'] }, { type: 'integer', enum: [1, 0] }] },
        form: FLAG_HINT,
      };
  }
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** One body property: its value's schema, and a description that names its aliases, form and codes. */
function propertySchema(attribute: BodyAttribute): JsonSchema {
  const { spec, required } = attribute;
  const { schema, form } = valueSchema(spec);
  const aliases = spec.names.slice(1);
  const parts = [
    ...(spec.about === undefined ? [] : [sentence(spec.about)]),
    ...(typeof required === 'string' ? [sentence(`required ${required}`)] : []),
    ...(aliases.length === 0 ? [] : [`Also accepted as: ${aliases.join(', ')}.`]),
    sentence(form),
    sentence(
      attributeErrors(attribute)
        .map(({ code, what }) => `${what}: ${code}`)
        .join('; '),
    ),
  ];
  return { ...schema, description: parts.join(' ') };
}

const BODY_RULES =
  'Attribute names are matched in any case, under any of the names a property lists (the first listed wins when several are given); ' +
  'null and blank values count as not given; unknown attributes are ignored; trailing commas are accepted. ' +
  'With the token in Authorization: Bearer, the body may be left out. ' +
  'This schema documents the request: the server does not validate bodies against it, but reads them by these rules.';

/** The request body: every attribute the route reads, the token first, and a body `client` where the route takes one. */
function bodySchema(route: DocumentedRoute, clientInBody: boolean): JsonSchema {
  const attributes: BodyAttribute[] = [
    { spec: TOKEN_FIELD, required: 'unless the token is sent as Authorization: Bearer' },
    ...(clientInBody ? [{ spec: CLIENT_FIELD, required: true as const }] : []),
    ...route.attributes,
  ];
  const required = attributes.filter((attribute) => attribute.required === true).map((attribute) => attribute.spec.names[0]);
  return {
    type: 'object',
    description: BODY_RULES,
    properties: Object.fromEntries(attributes.map((attribute) => [attribute.spec.names[0], propertySchema(attribute)])),
    ...(required.length === 0 ? {} : { required }),
    additionalProperties: true,
    ...(route.example === undefined ? {} : { examples: [route.example] }),
  };
}

const PATH_PARAMETERS: Readonly<Record<string, JsonSchema>> = {
  client: {
    type: 'string',
    description: 'The client code, matched in any case with - and _ alike (OC-TOMA is OC_TOMA). Blank is 9000; an unknown code is 9034.',
  },
  plate: {
    type: 'string',
    description: 'The plate, percent-encoded; matched by its normalised form (upper case without spaces, - or .). Blank is 9006, over 50 characters 9030.',
  },
};

/** The path's parameters (`:client`, `:plate`), described. */
function pathParameters(url: string): JsonSchema | undefined {
  const names = [...url.matchAll(/:(\w+)/g)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]));
  if (names.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, PATH_PARAMETERS[name] ?? { type: 'string' }])),
    required: names,
  };
}

const ERROR_DETAILS = {
  field: Type.Optional(Type.String({ description: 'the attribute at fault, as the request spelt it (its first name when it was missing)' })),
  hint: Type.Optional(Type.String({ description: 'the accepted form, in words' })),
  request_id: Type.Optional(Type.String({ description: 'a server fault: the x-request-id of the call' })),
};

const SEED_ENVELOPE = Type.Object(
  {
    ErrorCode: Type.Integer({ description: 'the 90xx code (500 on a server fault)' }),
    ErrorMessage: Type.String({ description: "the catalogue's message for the code" }),
    ...ERROR_DETAILS,
    reference_id: Type.Optional(Type.String({ description: "9022: the existing permit's reference_id" })),
  },
  { additionalProperties: true, description: 'The error envelope of every endpoint under /api/{client}/' },
);

const PLATE_ENVELOPE = Type.Object(
  {
    error: Type.Integer({ description: 'the 90xx code (500 on a server fault)' }),
    data: Type.Null(),
    message: Type.String({ description: "the catalogue's message for the code" }),
    ...ERROR_DETAILS,
  },
  { additionalProperties: true, description: 'The error envelope of plate validation (POST /api/v1/validate/plate)' },
);

/** The error envelopes, as components of the document (app.ts), which every error response refers to. */
export const ERROR_ENVELOPES = { ApiError: SEED_ENVELOPE, PlateValidationError: PLATE_ENVELOPE };

const ENVELOPE_REFERENCE: Readonly<Record<Envelope, string>> = {
  seed: '#/components/schemas/ApiError',
  plate: '#/components/schemas/PlateValidationError',
};

interface ErrorExample {
  readonly status: number;
  readonly code: ErrorCode | 500;
  readonly summary: string;
  readonly field?: string;
  readonly hint?: string;
}

/** The hint a malformed time, date or amount is answered with. */
function formatHint(code: ErrorCode, spec: FieldSpec): string | undefined {
  if (code !== (spec.invalid ?? 9033)) return undefined;
  if (spec.kind === 'timestamp') return TIMESTAMP_HINT;
  if (spec.kind === 'amount') return AMOUNT_HINT;
  if (spec.kind === 'date') return DATE_HINT;
  return undefined;
}

/** Every error a route can answer, one example per code and status, in the order of checks. */
function errorExamples(route: DocumentedRoute, clientInBody: boolean): ErrorExample[] {
  const examples = new Map<string, ErrorExample>();
  const add = (example: ErrorExample) => {
    const key = `${example.status} ${example.code}`;
    if (!examples.has(key)) examples.set(key, example);
  };
  // Only the endpoint's own codes name an attribute: the common ones are answered before any is read.
  const own = new Set(route.errors.filter((error): error is ErrorCode => typeof error === 'number'));
  const fieldOf = new Map<ErrorCode, FieldSpec>();
  const attributes: BodyAttribute[] = [...(clientInBody ? [{ spec: CLIENT_FIELD, required: true as const }] : []), ...route.attributes];
  for (const attribute of attributes)
    for (const { code } of attributeErrors(attribute)) if (own.has(code) && !fieldOf.has(code)) fieldOf.set(code, attribute.spec);

  for (const error of [...COMMON_ERRORS, ...route.errors]) {
    if (typeof error !== 'number') {
      add({ status: error.status, code: error.code, summary: error.when });
      continue;
    }
    const spec = fieldOf.get(error);
    const hint = error === 9040 ? 'retry in 12 s' : spec === undefined ? undefined : formatHint(error, spec);
    add({
      status: ERROR_CATALOGUE[error].status,
      code: error,
      summary: ERROR_CATALOGUE[error].message,
      ...(spec === undefined ? {} : { field: spec.names[0] }),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  add({ status: 413, code: 9003, summary: 'the body is over 1 MiB' });
  add({ status: 500, code: 500, summary: 'a server fault (no stack or internal message is returned)' });
  return [...examples.values()];
}

function exampleValue(envelope: Envelope, example: ErrorExample): JsonSchema {
  const message = example.code === 500 ? 'Internal server error.' : ERROR_CATALOGUE[example.code].message;
  const details = {
    ...(example.field === undefined ? {} : { field: example.field }),
    ...(example.hint === undefined ? {} : { hint: example.hint }),
    ...(example.code === 500 ? { request_id: '3f1c9a52-8d0e-4b7a-9c61-2e5f0a7d4b18' } : {}),
  };
  return envelope === 'plate' ? { error: example.code, data: null, message, ...details } : { ErrorCode: example.code, ErrorMessage: message, ...details };
}

const STATUS_MEANING: Readonly<Record<number, string>> = {
  400: 'The request was refused',
  401: 'No token, or a token that is not one of the client',
  403: 'The token lacks the scope, or the record is another integration’s',
  404: 'No such record',
  409: 'A duplicate',
  413: 'The body is over 1 MiB',
  422: 'A reused Idempotency-Key with another body',
  429: 'Over a request limit: retry after the seconds in Retry-After',
  500: 'A server fault',
};

/** The error responses by HTTP status, each with its envelope and an example per code. */
function errorResponses(route: DocumentedRoute, clientInBody: boolean): Record<string, JsonSchema> {
  const envelope = route.envelope ?? 'seed';
  const byStatus = new Map<number, ErrorExample[]>();
  for (const example of errorExamples(route, clientInBody)) byStatus.set(example.status, [...(byStatus.get(example.status) ?? []), example]);
  const responses: Record<string, JsonSchema> = {};
  for (const [status, examples] of [...byStatus].sort(([a], [b]) => a - b)) {
    const codes = examples.map((example) => example.code).join(', ');
    responses[status] = {
      description: `${STATUS_MEANING[status] ?? 'Refused'} (${envelope === 'plate' ? 'error' : 'ErrorCode'} ${codes}).`,
      ...(status === 429 ? { headers: { 'retry-after': { type: 'integer', description: 'whole seconds to wait before trying again' } } } : {}),
      content: {
        'application/json': {
          schema: { $ref: ENVELOPE_REFERENCE[envelope] },
          examples: Object.fromEntries(
            examples.map((example) => [
              example.field === undefined ? String(example.code) : `${example.code} ${example.field}`,
              { summary: example.summary, value: exampleValue(envelope, example) },
            ]),
          ),
        },
      },
    };
  }
  return responses;
}

/**
 * How the token is sent. The http bearer scheme is the header; OpenAPI has no security scheme
 * for a value in the body, so the body token is the empty alternative `{}` (the operation may be
 * called without the header), and the `apiToken` property of the body says the rest.
 */
const API_SECURITY = [{ apiToken: [] }, {}] as const;

/** The route's schema as the OpenAPI document shows it: the route's own, plus the documentation. */
export function documentedSchema(schema: FastifySchema, route: DocumentedRoute, clientInBody: boolean): FastifySchema {
  const params = pathParameters(route.url);
  const success = {
    description: 'Success',
    content: { 'application/json': { schema: route.response ?? { type: 'object', description: 'described above', additionalProperties: true } } },
  };
  return {
    ...schema,
    security: API_SECURITY,
    body: bodySchema(route, clientInBody),
    ...(params === undefined ? {} : { params }),
    ...(route.requestHeaders === undefined ? {} : { headers: { type: 'object', properties: route.requestHeaders } }),
    response: { 200: success, ...errorResponses(route, clientInBody) },
  };
}
