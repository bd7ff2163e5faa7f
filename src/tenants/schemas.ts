import { Type } from '@sinclair/typebox';
import { Answer, Count, DateTime, DecimalText, Id, Instant, NewestFirstPageQuery, Nullable, RowId } from '../admin/schemas.js';

/** What an operator may set on a client, at its creation or later. */
export const ClientSettings = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  timezone: Type.Optional(Type.String({ description: 'IANA time zone of the client (plate validation times)' })),
  currency: Type.Optional(Type.String({ description: 'default currency of pushed permits' })),
  input_time_zone: Type.Optional(Type.String({ description: 'IANA time zone in which pushed permit times are read' })),
});

export const NewClient = Type.Object({ code: Type.String(), ...ClientSettings.properties });

const IntegrationName = Type.String({ minLength: 1, maxLength: 100 });

const IntegrationSettings = {
  origin: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'type label of its pushed permits (default temp)' })),
  rate_limit_per_minute: Type.Optional(
    Type.Union([Count(), Type.Null()], {
      description: "requests per minute per token on the integration API: 0 unlimited, null the server's RATE_LIMIT_PER_MINUTE",
    }),
  ),
};

export const NewIntegration = Type.Object({ name: IntegrationName, ...IntegrationSettings });

/** An integration's changes: only what is given changes. */
export const IntegrationChanges = Type.Object({ name: Type.Optional(IntegrationName), ...IntegrationSettings });

export const NewToken = Type.Object({
  integration: Type.Union([RowId(), Type.String({ minLength: 1 })], { description: 'an integration id or name' }),
  scopes: Type.Union([Type.Literal('all'), Type.Array(Type.String(), { maxItems: 50 })], { description: 'a list of scopes, or "all"' }),
});

/** The longest grace period of a rotated token: a week. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GRACE_SECONDS = 3600;

export const TokenRotation = Type.Object({
  grace_seconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_GRACE_SECONDS,
      default: DEFAULT_GRACE_SECONDS,
      description: `how long the old token keeps working, in seconds (0 to ${MAX_GRACE_SECONDS}, a week; default ${DEFAULT_GRACE_SECONDS})`,
    }),
  ),
});

export const NewLoginSource = Type.Object({ name: Type.String() });

export const ClientRecord = Answer({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  currency: Type.String(),
  input_time_zone: Type.String(),
  created_at: DateTime,
});

export const IntegrationRecord = Answer({
  id: Id,
  name: Type.String(),
  origin: Type.String(),
  rate_limit_per_minute: Nullable(Type.Integer({ minimum: 0 })),
  created_at: DateTime,
});

/** A token as `tokens create` answers it: the only answer that holds the token itself. */
export const IssuedToken = Answer({
  id: Id,
  token: Type.String({ description: 'the API token: shown in this answer only' }),
  integration_id: Id,
  scopes: Type.Array(Type.String()),
  created_at: DateTime,
});

export const TokenRecord = Answer({
  id: Id,
  integration_id: Id,
  prefix: Type.String({ description: 'the first characters of the token' }),
  scopes: Type.Array(Type.String()),
  created_at: DateTime,
  revoked_at: Nullable(DateTime),
  last_used_at: Nullable(DateTime),
  expires_at: Nullable({ ...DateTime, description: 'a rotated token: refused from this time on' }),
  rotated_to: Nullable({ ...Id, description: 'a rotated token: the token that replaced it' }),
});

/** `tokens rotate`: the new token (shown in this answer only) and the old one with its end of grace. */
export const RotatedToken = Answer({ ...IssuedToken.properties, replaced: TokenRecord });

export const LoginSourceRecord = Answer({ id: Id, name: Type.String() });

export const AuditQuery = Type.Object({
  ...NewestFirstPageQuery.properties,
  integration: Type.Optional(RowId({ description: 'only calls made with a token of this integration id' })),
  endpoint: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'only calls of this endpoint as routed, e.g. /api/:client/v1/permits/push' }),
  ),
  error_code: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999, description: 'only calls answered with this 90xx code (0: successes)' })),
  since: Type.Optional(Instant),
  until: Type.Optional(Instant),
});

export const AuditEntry = Answer({
  id: Id,
  at: DateTime,
  integration_id: Nullable(Id),
  token_id: Nullable(Id),
  method: Type.String(),
  endpoint: Type.String(),
  error_code: Type.Integer({ description: 'the 90xx code answered, 0 on success' }),
  http_status: Type.Integer(),
  latency_ms: DecimalText,
  request_id: Type.String(),
});
