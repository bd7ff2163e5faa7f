import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Caller } from '../core/auth.js';
import { ApiError, errorEnvelope, type ErrorCode } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX } from './fields.js';

/** How often a repeat polls for the first request's answer. */
const POLL_MS = 25;
/**
 * A claim still pending after this long belongs to a request that died (its process
 * stopped between claiming and answering): a repeat may take it over.
 */
const STALE_CLAIM_SECONDS = 60;

interface Outcome {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The body as canonical JSON (keys sorted, at every depth), without the token. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(body: Record<string, unknown>): string {
  const withoutToken = Object.fromEntries(Object.entries(body).filter(([key]) => !['apitoken', 'api_token'].includes(key.toLowerCase())));
  return createHash('sha256').update(canonical(withoutToken)).digest('hex');
}

/** The Idempotency-Key header, if sent (blank counts as not sent); 9030 over 255 characters. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  const key = (Array.isArray(header) ? header.join(', ') : header)?.trim();
  if (key === undefined || key === '') return undefined;
  if ([...key].length > IDEMPOTENCY_KEY_MAX) throw new ApiError(9030, IDEMPOTENCY_HEADER);
  return key;
}

function replay(outcome: Outcome): Record<string, unknown> {
  if (outcome.status < 400) return outcome.body;
  const { ErrorCode, ErrorMessage: _message, field, ...extra } = outcome.body;
  throw new ApiError(ErrorCode as ErrorCode, field as string | undefined, { extra, status: outcome.status });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `run` at most once per (integration, key) within 24 hours and answers every repeat with
 * the first answer, errors included. The first request inserts its claim row (the primary key
 * decides between concurrent ones, on every process sharing the database); the others poll
 * that row, outside any transaction, until the answer is stored. A different body under the
 * same key: 422 with 9033. A request that fails with a server fault releases its claim.
 */
export async function withIdempotency(
  db: Kysely<DB>,
  caller: Caller,
  key: string,
  body: Record<string, unknown>,
  run: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const hash = requestHash(body);
  const clientId = caller.client.clientId;
  const integrationId = caller.integrationId;
  const thisKey = db
    .deleteFrom('idempotency_keys')
    .where('client_id', '=', clientId)
    .where('integration_id', '=', integrationId)
    .where('key', '=', key);

  for (;;) {
    await thisKey.where('created_at', '<=', sql<Date>`now() - interval '24 hours'`).execute();
    const claim = await db
      .insertInto('idempotency_keys')
      .values({ client_id: clientId, integration_id: integrationId, key, request_hash: hash })
      .onConflict((conflict) => conflict.columns(['client_id', 'integration_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();

    if (claim !== undefined) {
      await removeExpired(db, clientId);
      let outcome: Outcome;
      try {
        outcome = { status: 200, body: await run() };
      } catch (error) {
        if (!(error instanceof ApiError)) {
          await thisKey.where('state', '=', 'pending').execute();
          throw error;
        }
        outcome = { status: error.status, body: errorEnvelope(error) };
      }
      await db
        .updateTable('idempotency_keys')
        .set({ state: 'done', response_status: outcome.status, response_body: JSON.stringify(outcome.body) })
        .where('client_id', '=', clientId)
        .where('integration_id', '=', integrationId)
        .where('key', '=', key)
        .execute();
      return replay(outcome);
    }

    for (;;) {
      const { rows } = await sql<{ request_hash: string; state: string; response_status: number | null; response_body: Record<string, unknown> | null; stale: boolean }>`
        select request_hash, state, response_status, response_body,
          created_at < now() - make_interval(secs => ${STALE_CLAIM_SECONDS}) as stale
        from idempotency_keys
        where client_id = ${clientId} and integration_id = ${integrationId} and key = ${key}
          and created_at > now() - interval '24 hours'
      `.execute(db);
      const row = rows[0];
      if (row === undefined) break;
      if (row.request_hash !== hash) throw new ApiError(9033, IDEMPOTENCY_HEADER, { status: 422 });
      if (row.state === 'done') return replay({ status: row.response_status!, body: row.response_body! });
      if (row.stale) {
        await thisKey.where('state', '=', 'pending').where('created_at', '<', sql<Date>`now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`).execute();
        break;
      }
      await sleep(POLL_MS);
    }
  }
}

/** Forgets a few of the client's keys older than 24 hours, so the table stays small. */
async function removeExpired(db: Kysely<DB>, clientId: number): Promise<void> {
  await sql`
    delete from idempotency_keys
    where (client_id, integration_id, key) in (
      select client_id, integration_id, key from idempotency_keys
      where client_id = ${clientId} and created_at <= now() - interval '24 hours'
      limit 100
    )
  `.execute(db);
}
