import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordCall, type ApiDependencies, type CallRecord } from '../core/api-route.js';
import type { Caller } from '../core/auth.js';
import { ApiError } from '../core/errors.js';
import { RateLimited } from '../core/rate-limits.js';
import { GenetecError, IsValidAnswer, IsValidBody, PermitResults, SearchAnswer, SearchBody, Zone, ZonePermitsParams, ZonePermitsQuery } from './schemas.js';
import { isValid, searchPermits, zonePermits, zones } from './service.js';

/** Where Pay-by-Plate Sync finds the face: the version its protocol names. */
export const GENETEC_PREFIX = '/api/pbp/v2014-06';
/** The header carrying the key: an API token of the client with the `plate-validate` scope. */
export const GENETEC_KEY_HEADER = 'X-ApiKey';
/** The OpenAPI security scheme of the face (app.ts declares it). */
export const GENETEC_SECURITY_SCHEME = {
  type: 'apiKey',
  in: 'header',
  name: GENETEC_KEY_HEADER,
  description: 'Genetec Pay-by-Plate Sync: an API token of the client with the plate-validate scope',
} as const;

/** ASP.NET Web API's words for a refused key, which Pay-by-Plate Sync clients know. */
const DENIED = 'Authorization has been denied for this request.';
/** The codes of a refused key: none, unknown or revoked, without the scope. All are 401 here. */
const KEY_CODES: ReadonlySet<number> = new Set([9001, 9034, 9002]);
const MAX_KEY_LENGTH = 255;

const security = [{ genetecApiKey: [] }];
const refusals = {
  400: { ...GenetecError, description: 'A malformed body, or a continuation token this server did not give the client' },
  401: { ...GenetecError, description: 'No key, or a key that is not a live token with the plate-validate scope' },
  429: { ...GenetecError, description: 'Over the token’s request limit: retry after the seconds in Retry-After' },
};
const notFound = { 404: { ...GenetecError, description: 'Nothing matches (an unknown zone, no permit)' } };

/** Whose call this is: set by the key check before any handler runs. */
const callers = new WeakMap<FastifyRequest, Caller>();

function callerOf(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  if (caller === undefined) throw new Error('a Genetec route ran without its key check');
  return caller;
}

function keyOf(request: FastifyRequest): string {
  const header = request.headers[GENETEC_KEY_HEADER.toLowerCase()];
  const key = typeof header === 'string' ? header.trim() : undefined;
  if (key === undefined || key === '') throw new ApiError(9001);
  if (key.length > MAX_KEY_LENGTH) throw new ApiError(9034);
  return key;
}

/**
 * The Genetec AutoVu Pay-by-Plate Sync provider face (docs/genetec.md), in its own context:
 * Fastify's JSON bodies checked against the routes' schemas, `{"Message"}` refusals, the key
 * checked before anything else, and the integration API's request limits and audit entries.
 */
export function registerGenetec(app: FastifyInstance, deps: ApiDependencies): void {
  app.register(
    async (context) => {
      const face = context.withTypeProvider<TypeBoxTypeProvider>();
      face.decorateRequest('apiCall', null);
      // Checked exactly as the schemas say: Fastify's default validator would coerce ("ABC" to
      // ["ABC"], 5 to "5"), which a client's bug should not be met with.
      face.setValidatorCompiler<TSchema>(({ schema, httpPart }) => {
        const check = TypeCompiler.Compile(schema);
        return (value: unknown) => {
          if (check.Check(value)) return { value };
          const first = check.Errors(value).First();
          const where = `${httpPart ?? 'request'}${first?.path ?? ''}`;
          return { error: new Error(`${where}: ${first?.message ?? 'is not valid'}`) };
        };
      });

      face.addHook('onRequest', async (request) => {
        const call: CallRecord = { clientId: 0, clientCode: null, integrationId: null, tokenId: null, errorCode: 0 };
        request.apiCall = call;
        const key = keyOf(request);
        await deps.limits.refuseBlockedAddress(request.ip);
        let caller: Caller;
        try {
          caller = await deps.auth.authenticateToken(key, 'plate-validate');
        } catch (error) {
          if (error instanceof ApiError && error.code === 9034) await deps.limits.recordFailure(request.ip);
          throw error;
        }
        Object.assign(call, { clientId: caller.client.clientId, clientCode: caller.client.code, integrationId: caller.integrationId, tokenId: caller.tokenId });
        callers.set(request, caller);
        await deps.limits.chargeToken(caller);
      });

      face.addHook('onResponse', async (request, reply) => recordCall(deps.audit, request, reply));

      face.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
        let failure: Error = error;
        if (failure instanceof RateLimited) {
          reply.header('retry-after', String(failure.retryAfterSeconds));
          failure = new ApiError(9040);
        }
        const call = request.apiCall;
        if (failure instanceof ApiError) {
          if (call !== null) call.errorCode = failure.code;
          const refusedKey = KEY_CODES.has(failure.code);
          return reply.status(refusedKey ? 401 : failure.status).send({ Message: refusedKey ? DENIED : (failure.hint ?? failure.message) });
        }
        const status = error.statusCode ?? 500;
        if (status < 500) {
          if (call !== null) call.errorCode = error.validation === undefined ? 9003 : 9033;
          return reply.status(status).send({ Message: error.message });
        }
        request.log.error({ err: error }, 'request failed');
        return reply.status(500).send({ Message: 'An error has occurred.', request_id: request.id });
      });

      const tags = ['genetec'];
      face.get(
        '/zones',
        { schema: { summary: 'Genetec Pay-by-Plate Sync: the zones (the client’s lots)', tags, security, response: { 200: Type.Array(Zone), ...refusals } } },
        async (request) => zones(deps.db, callerOf(request)),
      );
      face.get(
        '/zones/:zoneId/permits',
        {
          schema: {
            summary: 'Genetec Pay-by-Plate Sync: the permits of a zone (valid now, or changed since a continuation token)',
            description:
              'Without continuationToken: every permit valid now in the zone. With the ContinuationToken of an earlier answer: the zone’s permits ' +
              'changed since, as they are now (a deleted or shortened permit with its new, past Expiry). A token older than the change log keeps ' +
              'answers a full download and a fresh token.',
            tags,
            security,
            params: ZonePermitsParams,
            querystring: ZonePermitsQuery,
            response: { 200: PermitResults, ...refusals, ...notFound },
          },
        },
        async (request) => zonePermits(deps.db, callerOf(request), request.params.zoneId, request.query.continuationToken),
      );
      face.post(
        '/permits/search',
        {
          schema: {
            summary: 'Genetec Pay-by-Plate Sync: the permits valid now of some plates, by zone',
            tags,
            security,
            body: SearchBody,
            response: { 200: SearchAnswer, ...refusals, ...notFound },
          },
        },
        async (request) => searchPermits(deps.db, callerOf(request), request.body),
      );
      face.post(
        '/isvalid',
        {
          schema: {
            summary: 'Genetec Pay-by-Plate Sync: whether a plate has a permit valid now in one of the zones (last-chance lookup)',
            tags,
            security,
            body: IsValidBody,
            response: { 200: IsValidAnswer, ...refusals },
          },
        },
        async (request) => isValid(deps.db, callerOf(request), request.body),
      );
    },
    { prefix: GENETEC_PREFIX },
  );
}
