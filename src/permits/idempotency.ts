import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Caller } from '../core/auth.js';
import { ApiError, errorEnvelope, type ErrorCode } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX } from './fields.js';

interface Outcome {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

type CanonicalStep = { kind: 'text'; text: string } | { kind: 'value'; value: unknown };

/**
 * The body as canonical JSON (keys sorted, at every depth). Written with an explicit stack, not
 * recursion: a client may send JSON nested a hundred thousand deep.
 */
function canonical(root: unknown): string {
  const out: string[] = [];
  const steps: CanonicalStep[] = [{ kind: 'value', value: root }];
  for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
    if (step.kind === 'text') {
      out.push(step.text);
      continue;
    }
    const { value } = step;
    if (Array.isArray(value)) {
      steps.push({ kind: 'text', text: ']' });
      for (let i = value.length - 1; i >= 0; i--) {
        steps.push({ kind: 'value', value: value[i] });
        if (i > 0) steps.push({ kind: 'text', text: ',' });
      }
      steps.push({ kind: 'text', text: '[' });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      steps.push({ kind: 'text', text: '}' });
      // Pushed last first, so they are popped in order; the first key goes without a comma.
      entries.reverse().forEach(([key, item], index) => {
        steps.push({ kind: 'value', value: item });
        steps.push({ kind: 'text', text: `${index < entries.length - 1 ? ',' : ''}${JSON.stringify(key)}:` });
      });
      steps.push({ kind: 'text', text: '{' });
    } else {
      out.push(JSON.stringify(value));
    }
  }
  return out.join('');
}

/** SHA-256 of the body's canonical form without the token. */
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
  throw new ApiError(ErrorCode as ErrorCode, typeof field === 'string' ? field : undefined, { extra, status: outcome.status });
}

/**
 * Runs `run` at most once per (integration, key) within 24 hours and answers every repeat with
 * the first answer, errors included; the same key with another body answers 422 with 9033.
 *
 * The key's row, the permit `run` writes and the stored answer commit in one transaction. The
 * row's insert is the claim: a concurrent repeat's insert of the same key waits on it inside the
 * database (on every process sharing it) and, once the first commits, finds the answer. If the
 * first request fails with a server fault, or its process or connection dies, its transaction
 * rolls back with the row, and the waiting repeat's insert goes through and runs the request
 * itself: nothing is ever left pending, nothing is polled.
 */
export async function withIdempotency(
  db: Kysely<DB>,
  caller: Caller,
  key: string,
  body: Record<string, unknown>,
  run: (trx: Transaction<DB>) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const hash = requestHash(body);
  const clientId = caller.client.clientId;
  const integrationId = caller.integrationId;
  const { outcome, claimed } = await db.transaction().execute(async (trx): Promise<{ outcome: Outcome; claimed: boolean }> => {
    const thisKey = trx.deleteFrom('idempotency_keys').where('client_id', '=', clientId).where('integration_id', '=', integrationId).where('key', '=', key);
    // Expired, or pending from a release that stored the claim before the answer.
    await thisKey.where((eb) => eb.or([eb('created_at', '<=', sql<Date>`now() - interval '24 hours'`), eb('state', '=', 'pending')])).execute();
    const claim = await trx
      .insertInto('idempotency_keys')
      .values({ client_id: clientId, integration_id: integrationId, key, request_hash: hash, state: 'done' })
      .onConflict((conflict) => conflict.columns(['client_id', 'integration_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();

    if (claim === undefined) {
      const stored = await trx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'response_status', 'response_body'])
        .where('client_id', '=', clientId)
        .where('integration_id', '=', integrationId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (stored.request_hash !== hash) throw new ApiError(9033, IDEMPOTENCY_HEADER, { status: 422 });
      if (stored.response_status === null || stored.response_body === null) throw new Error(`idempotency key ${key} committed without its answer`);
      return { outcome: { status: stored.response_status, body: stored.response_body }, claimed: false };
    }

    // An answered error (9005, 9022, …) is stored like a success, without what `run` wrote.
    await sql`savepoint idempotent_run`.execute(trx);
    let answered: Outcome;
    try {
      answered = { status: 200, body: await run(trx) };
      await sql`release savepoint idempotent_run`.execute(trx);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      await sql`rollback to savepoint idempotent_run`.execute(trx);
      answered = { status: error.status, body: errorEnvelope(error) };
    }
    await trx
      .updateTable('idempotency_keys')
      .set({ response_status: answered.status, response_body: JSON.stringify(answered.body) })
      .where('client_id', '=', clientId)
      .where('integration_id', '=', integrationId)
      .where('key', '=', key)
      .execute();
    return { outcome: answered, claimed: true };
  });
  // Outside the transaction: two requests clearing the same old keys must not hold each other's locks.
  if (claimed) await removeExpired(db, clientId);
  return replay(outcome);
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
