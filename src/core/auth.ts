import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeWatchOf } from '../db/write-watch.js';
import { TtlCache } from './cache.js';
import type { Scope } from './scopes.js';
import { ApiError } from './errors.js';

export { SCOPES, type Scope } from './scopes.js';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_BODY_LENGTH = 44;
export const TOKEN_PREFIX_LENGTH = 8;

/** A new API token: `pc-` and 44 random base-62 characters (~262 bits), `[A-Za-z0-9-]` only. */
export function generateToken(): string {
  let body = '';
  for (let i = 0; i < TOKEN_BODY_LENGTH; i++) body += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return `pc-${body}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Client codes match case-insensitively with `-` and `_` the same character. */
export function clientCodeKey(code: string): string {
  return code.trim().toUpperCase().replaceAll('-', '_');
}

export interface Client {
  readonly clientId: number;
  readonly code: string;
  readonly name: string;
  readonly timezone: string;
  readonly currency: string;
  readonly inputTimeZone: string;
}

export interface Caller {
  readonly client: Client;
  readonly integrationId: number;
  readonly origin: string;
  readonly tokenId: number;
  /** The integration's own request limit per minute per token; null: the server's default. */
  readonly rateLimitPerMinute: number | null;
}

interface TokenRecord {
  readonly clientId: number;
  readonly tokenId: number;
  readonly integrationId: number;
  readonly origin: string;
  readonly tokenHash: string;
  readonly scopes: readonly string[];
  readonly rateLimitPerMinute: number | null;
  /** A rotated token's end of grace, or null. */
  readonly expiresAt: Date | null;
}

/** A client as the API uses it, found by its id or by its matching code. */
export async function readClient(db: Kysely<DB>, by: 'client_id' | 'code_key', value: number | string): Promise<Client | undefined> {
  const row = await db
    .selectFrom('clients')
    .select(['client_id', 'code', 'name', 'timezone', 'currency', 'input_time_zone'])
    .where(by, '=', value as never)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        clientId: row.client_id,
        code: row.code,
        name: row.name,
        timezone: row.timezone,
        currency: row.currency,
        inputTimeZone: row.input_time_zone,
      };
}

/** How long a token or client read from the database is trusted by other processes. */
export const AUTH_CACHE_TTL_MS = 5_000;

/** The tables token and client lookups read: a committed write to one clears the lookups. */
const AUTH_TABLES = ['clients', 'integrations', 'api_tokens'] as const;

/**
 * Resolves tokens and client codes. Lookups are cached for a few seconds so the hot paths pay
 * no database round trip per call; a revocation or client change committed through this process
 * clears the cache at once (the database's write watch reports it, whoever wrote), one made by
 * another process takes effect within AUTH_CACHE_TTL_MS.
 */
export class Authenticator {
  private readonly tokens = new TtlCache<string, TokenRecord | null>(AUTH_CACHE_TTL_MS);
  private readonly clients = new TtlCache<string, Client | null>(AUTH_CACHE_TTL_MS);
  private readonly clientsById = new TtlCache<number, Client | null>(AUTH_CACHE_TTL_MS);
  private readonly usedTokens = new Map<string, { clientId: number; tokenId: number; at: Date }>();

  constructor(private readonly db: Kysely<DB>) {
    writeWatchOf(db).subscribe((tables) => {
      if (!AUTH_TABLES.some((table) => tables.has(table))) return;
      this.tokens.clear();
      this.clients.clear();
      this.clientsById.clear();
    });
  }

  async findClient(code: string): Promise<Client | null> {
    const key = clientCodeKey(code);
    // PostgreSQL text cannot hold U+0000, so no client's code does.
    if (key.includes('\u0000')) return null;
    const cached = this.clients.get(key);
    if (cached !== undefined) return cached;
    const client = (await readClient(this.db, 'code_key', key)) ?? null;
    this.clients.set(key, client);
    return client;
  }

  private async findToken(hash: string): Promise<TokenRecord | null> {
    const cached = this.tokens.get(hash);
    if (cached !== undefined) return cached;
    const row = await this.db
      .selectFrom('api_tokens as t')
      .innerJoin('integrations as i', (join) => join.onRef('i.client_id', '=', 't.client_id').onRef('i.id', '=', 't.integration_id'))
      .select(['t.client_id', 't.id', 't.integration_id', 't.token_hash', 't.scopes', 't.expires_at', 'i.origin', 'i.rate_limit_per_minute'])
      .where('t.token_hash', '=', hash)
      .where('t.revoked_at', 'is', null)
      .where((where) => where.or([where('t.expires_at', 'is', null), where('t.expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirst();
    const record =
      row === undefined
        ? null
        : {
            clientId: row.client_id,
            tokenId: row.id,
            integrationId: row.integration_id,
            origin: row.origin,
            tokenHash: row.token_hash,
            scopes: row.scopes,
            rateLimitPerMinute: row.rate_limit_per_minute,
            expiresAt: row.expires_at,
          };
    this.tokens.set(hash, record);
    return record;
  }

  /**
   * The caller behind `token` for the client `clientCode`, allowed `scope`; or 9034 (unknown,
   * revoked, expired (a rotated token after its grace) or another client's token, or an unknown client: never saying which) or 9002.
   */
  async authenticate(clientCode: string, token: string, scope: Scope): Promise<Caller> {
    const hash = hashToken(token);
    const [client, record] = await Promise.all([this.findClient(clientCode), this.findToken(hash)]);
    if (
      client === null ||
      record === null ||
      record.clientId !== client.clientId ||
      !timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), Buffer.from(hash, 'hex')) ||
      // a rotated token's grace may end while its record is cached
      (record.expiresAt !== null && record.expiresAt.getTime() <= Date.now())
    ) {
      throw new ApiError(9034);
    }
    if (!record.scopes.includes(scope)) throw new ApiError(9002);
    this.usedTokens.set(hash, { clientId: record.clientId, tokenId: record.tokenId, at: new Date() });
    return { client, integrationId: record.integrationId, origin: record.origin, tokenId: record.tokenId, rateLimitPerMinute: record.rateLimitPerMinute };
  }

  /**
   * The caller behind `token` alone, for faces whose requests name no client (the token's client
   * is the caller's): 9034 for an unknown or revoked token, 9002 without `scope`.
   */
  async authenticateToken(token: string, scope: Scope): Promise<Caller> {
    const hash = hashToken(token);
    const record = await this.findToken(hash);
    if (record === null || !timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), Buffer.from(hash, 'hex'))) throw new ApiError(9034);
    if (!record.scopes.includes(scope)) throw new ApiError(9002);
    let client = this.clientsById.get(record.clientId);
    if (client === undefined) {
      client = (await readClient(this.db, 'client_id', record.clientId)) ?? null;
      this.clientsById.set(record.clientId, client);
    }
    if (client === null) throw new ApiError(9034);
    this.usedTokens.set(hash, { clientId: record.clientId, tokenId: record.tokenId, at: new Date() });
    return { client, integrationId: record.integrationId, origin: record.origin, tokenId: record.tokenId, rateLimitPerMinute: record.rateLimitPerMinute };
  }

  /** Records the last use of the tokens used since the previous call, in one statement each. */
  async flushLastUse(): Promise<void> {
    if (this.usedTokens.size === 0) return;
    const used = [...this.usedTokens.values()];
    this.usedTokens.clear();
    for (const { clientId, tokenId, at } of used) {
      await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('client_id', '=', clientId).where('id', '=', tokenId).execute();
    }
  }
}
