import type { Static } from '@sinclair/typebox';
import { sql, type Kysely, type Transaction } from 'kysely';
import { generateToken, hashToken, SCOPES, TOKEN_PREFIX_LENGTH, clientCodeKey, type Scope } from '../core/auth.js';
import { isUniqueViolation, InvalidInputError, NotFoundError, ConflictError } from '../core/errors.js';
import { isTimeZone } from '../core/timezones.js';
import type { DB } from '../db/schema.js';
import { seedLookups } from '../vehicles/lookups.js';
import { toPage } from '../admin/operation.js';
import type { ListOptions } from '../admin/schemas.js';
import type { AuditQuery, ClientSettings, IntegrationChanges, NewClient, NewIntegration, NewToken } from './schemas.js';

/** The login source every client has (docs/api.md#profilespush). */
export const BUILT_IN_LOGIN_SOURCE = 'OPSCOM';

const CLIENT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;

function checkSettings(settings: Static<typeof ClientSettings>): void {
  for (const key of ['timezone', 'input_time_zone'] as const) {
    const zone = settings[key];
    if (zone !== undefined && !isTimeZone(zone)) throw new InvalidInputError(`${zone} is not an IANA time zone`, key);
  }
  if (settings.currency !== undefined && !/^[A-Za-z]{3,10}$/.test(settings.currency)) {
    throw new InvalidInputError('currency must be 3 to 10 letters', 'currency');
  }
}

const clientColumns = ['client_id as id', 'code', 'name', 'timezone', 'currency', 'input_time_zone', 'created_at'] as const;

export async function createClient(db: Kysely<DB>, input: Static<typeof NewClient>) {
  if (!CLIENT_CODE.test(input.code)) {
    throw new InvalidInputError('code must be 1-50 letters, digits, "-" or "_", starting with a letter or digit', 'code');
  }
  checkSettings(input);
  try {
    return await db.transaction().execute(async (trx) => {
      const client = await trx
        .insertInto('clients')
        .values({
          code: input.code,
          code_key: clientCodeKey(input.code),
          name: input.name ?? input.code,
          timezone: input.timezone,
          currency: input.currency?.toUpperCase(),
          input_time_zone: input.input_time_zone,
        })
        .returning(clientColumns)
        .executeTakeFirstOrThrow();
      await trx.insertInto('login_sources').values({ client_id: client.id, name: BUILT_IN_LOGIN_SOURCE }).execute();
      await seedLookups(trx, client.id);
      return client;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`a client with code ${input.code} already exists`, 'code');
    throw error;
  }
}

export async function listClients(db: Kysely<DB>, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('clients')
    .select(clientColumns)
    .where('client_id', '>', cursor)
    .orderBy('client_id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

export async function showClient(db: Kysely<DB>, clientId: number) {
  return db.selectFrom('clients').select(clientColumns).where('client_id', '=', clientId).executeTakeFirstOrThrow();
}

export async function updateClient(db: Kysely<DB>, clientId: number, settings: Static<typeof ClientSettings>) {
  checkSettings(settings);
  const changes = {
    ...(settings.name === undefined ? {} : { name: settings.name }),
    ...(settings.timezone === undefined ? {} : { timezone: settings.timezone }),
    ...(settings.currency === undefined ? {} : { currency: settings.currency.toUpperCase() }),
    ...(settings.input_time_zone === undefined ? {} : { input_time_zone: settings.input_time_zone }),
  };
  if (Object.keys(changes).length > 0) await db.updateTable('clients').set(changes).where('client_id', '=', clientId).execute();
  return showClient(db, clientId);
}

const integrationColumns = ['id', 'name', 'origin', 'rate_limit_per_minute', 'created_at'] as const;

export async function createIntegration(db: Kysely<DB>, clientId: number, input: Static<typeof NewIntegration>) {
  try {
    return await db
      .insertInto('integrations')
      .values({ client_id: clientId, name: input.name, origin: input.origin, rate_limit_per_minute: input.rate_limit_per_minute ?? null })
      .returning(integrationColumns)
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`an integration named ${input.name} already exists`, 'name');
    throw error;
  }
}

export async function updateIntegration(db: Kysely<DB>, clientId: number, integrationId: number, input: Static<typeof IntegrationChanges>) {
  try {
    const row = await db
      .updateTable('integrations')
      .set({
        // An update naming nothing still answers the integration: set one column to itself.
        client_id: clientId,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.origin === undefined ? {} : { origin: input.origin }),
        ...(input.rate_limit_per_minute === undefined ? {} : { rate_limit_per_minute: input.rate_limit_per_minute }),
      })
      .where('client_id', '=', clientId)
      .where('id', '=', integrationId)
      .returning(integrationColumns)
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`no integration ${integrationId} for this client`, 'id');
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`an integration named ${input.name} already exists`, 'name');
    throw error;
  }
}

export async function listIntegrations(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('integrations')
    .select(integrationColumns)
    .where('client_id', '=', clientId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

async function findIntegration(db: Kysely<DB> | Transaction<DB>, clientId: number, integration: string | number) {
  const byId = typeof integration === 'number' || /^\d+$/.test(integration);
  const row = await db
    .selectFrom('integrations')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .$if(byId, (q) => q.where('id', '=', Number(integration)))
    .$if(!byId, (q) => q.where(sql`lower(name)`, '=', String(integration).toLowerCase()))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no integration ${integration} for this client`, 'integration');
  return row;
}

export function parseScopes(scopes: readonly string[] | 'all'): Scope[] {
  if (scopes === 'all') return [...SCOPES];
  if (scopes.length === 0) throw new InvalidInputError('at least one scope is required', 'scopes');
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new InvalidInputError(`unknown scope ${scope}; scopes are ${SCOPES.join(', ')}`, 'scopes');
    }
  }
  return [...new Set(scopes)] as Scope[];
}

/** Issues a token for an integration. The token is in this answer only; the database keeps its hash. */
export async function createToken(db: Kysely<DB>, clientId: number, input: Static<typeof NewToken>) {
  const integration = await findIntegration(db, clientId, input.integration);
  const scopes = parseScopes(input.scopes);
  const token = generateToken();
  const row = await db
    .insertInto('api_tokens')
    .values({
      client_id: clientId,
      integration_id: integration.id,
      token_hash: hashToken(token),
      prefix: token.slice(0, TOKEN_PREFIX_LENGTH),
      scopes,
    })
    .returning(['id', 'scopes', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, integration_id: integration.id, scopes: row.scopes, created_at: row.created_at };
}

const tokenColumns = ['id', 'integration_id', 'prefix', 'scopes', 'created_at', 'revoked_at', 'last_used_at', 'expires_at', 'rotated_to'] as const;

export async function listTokens(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('client_id', '=', clientId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

export async function revokeToken(db: Kysely<DB>, clientId: number, tokenId: number) {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('client_id', '=', clientId)
    .where('id', '=', tokenId)
    .returning(tokenColumns)
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no token ${tokenId} for this client`, 'id');
  return row;
}

/**
 * Replaces a token by a new one of the same integration and scopes (shown in this answer only).
 * The old token keeps working for `graceSeconds`, then is refused like a revoked one; 0 ends it
 * now. A revoked, expired or already rotated token cannot be rotated (409): its successor, if
 * any, is the one to rotate. The row is locked so two rotations of one token cannot both win.
 */
export async function rotateToken(db: Kysely<DB>, clientId: number, tokenId: number, graceSeconds: number) {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('api_tokens')
      .select(['integration_id', 'scopes', 'revoked_at', 'rotated_to', sql<boolean>`expires_at is not null and expires_at <= now()`.as('expired')])
      .where('client_id', '=', clientId)
      .where('id', '=', tokenId)
      .forUpdate()
      .executeTakeFirst();
    if (old === undefined) throw new NotFoundError(`no token ${tokenId} for this client`, 'id');
    if (old.revoked_at !== null) throw new ConflictError(`token ${tokenId} is revoked: issue a new token instead`, 'id');
    if (old.rotated_to !== null) throw new ConflictError(`token ${tokenId} was already rotated to token ${old.rotated_to}: rotate that one`, 'id');
    if (old.expired) throw new ConflictError(`token ${tokenId} has expired: issue a new token instead`, 'id');
    const token = generateToken();
    const issued = await trx
      .insertInto('api_tokens')
      .values({
        client_id: clientId,
        integration_id: old.integration_id,
        token_hash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX_LENGTH),
        scopes: old.scopes,
      })
      .returning(['id', 'integration_id', 'scopes', 'created_at'])
      .executeTakeFirstOrThrow();
    const replaced = await trx
      .updateTable('api_tokens')
      .set({ rotated_to: issued.id, expires_at: sql<Date>`now() + make_interval(secs => ${graceSeconds})` })
      .where('client_id', '=', clientId)
      .where('id', '=', tokenId)
      .returning(tokenColumns)
      .executeTakeFirstOrThrow();
    return { id: issued.id, token, integration_id: issued.integration_id, scopes: issued.scopes, created_at: issued.created_at, replaced };
  });
}

export async function createLoginSource(db: Kysely<DB>, clientId: number, name: string) {
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(name)) throw new InvalidInputError('name must be 1-20 letters, digits, "-" or "_"', 'name');
  try {
    return await db.insertInto('login_sources').values({ client_id: clientId, name }).returning(['id', 'name']).executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`login source ${name} already exists`, 'name');
    throw error;
  }
}

export async function listLoginSources(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('login_sources')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

/**
 * The client's audit entries, newest first: by id, the order they were written in (entries are
 * queued and written within ~200 ms of their call), so a page is cut at an id with no gap or
 * repeat while new calls arrive. `cursor` is the previous page's last id.
 */
export async function listAudit(db: Kysely<DB>, clientId: number, options: ListOptions<Static<typeof AuditQuery>>) {
  const { limit, cursor, integration, endpoint, error_code: errorCode, since, until } = options;
  let query = db
    .selectFrom('audit_log')
    .select(['id', 'at', 'integration_id', 'token_id', 'method', 'endpoint', 'error_code', 'http_status', 'latency_ms', 'request_id'])
    .where('client_id', '=', clientId);
  if (integration !== undefined) query = query.where('integration_id', '=', integration);
  if (endpoint !== undefined) query = query.where('endpoint', '=', endpoint);
  if (errorCode !== undefined) query = query.where('error_code', '=', errorCode);
  if (since !== undefined) query = query.where('at', '>=', new Date(since));
  if (until !== undefined) query = query.where('at', '<', new Date(until));
  if (cursor !== undefined) query = query.where('id', '<', String(cursor));
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  // bigint ids come as exact text; they stay below 2^53, where a JSON number is exact
  return toPage(
    rows.map((row) => ({ ...row, id: Number(row.id) })),
    limit,
  );
}
