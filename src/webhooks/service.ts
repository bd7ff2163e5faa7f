import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { toPage } from '../admin/operation.js';
import type { ListOptions } from '../admin/schemas.js';
import { CHANGE_TYPES } from '../changes/log.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../core/errors.js';
import type { DB, DeliveryKind } from '../db/schema.js';
import { AddressRefused, checkedAddresses, parseEndpointUrl } from './address.js';
import type { DeliveriesQuery, NewWebhook, WebhookChanges } from './schemas.js';
import { attemptDelivery, newSecret, type AttemptResult, type Destination, type Message } from './send.js';
import type { WebhookSettings } from './settings.js';

/** The type of the event the test operation sends; not in the log, and not subscribable. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** After a rotation the previous secret signs beside the new one this long. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

/** A log event as a webhook sends it. */
export interface LoggedEvent {
  readonly seq: string;
  readonly type: string;
  readonly occurred_at: Date;
  readonly object: Record<string, unknown>;
}

/** The webhook-id of a log event: stable across attempts, redeliveries and processes. */
export function eventMessageId(clientId: number, seq: string): string {
  return `evt_${clientId}_${seq}`;
}

/** A log event as a Standard Webhooks message; `seq` is an extra top-level field. */
export function eventMessage(clientId: number, event: LoggedEvent): Message {
  return {
    id: eventMessageId(clientId, event.seq),
    body: JSON.stringify({ type: event.type, timestamp: event.occurred_at.toISOString(), seq: Number(event.seq), data: event.object }),
  };
}

function testMessage(id: string, webhookId: number): Message {
  return {
    id,
    body: JSON.stringify({
      type: TEST_EVENT_TYPE,
      timestamp: new Date().toISOString(),
      data: { webhook_id: webhookId, message: 'A test event sent by an operator: nothing changed.' },
    }),
  };
}

/** The secrets that sign for an endpoint now: the current one, and the previous during its grace. */
export function signingSecrets(row: { secret: string; previous_secret: string | null; previous_secret_until: Date | null }, now = new Date()): string[] {
  return row.previous_secret !== null && row.previous_secret_until !== null && row.previous_secret_until > now
    ? [row.secret, row.previous_secret]
    : [row.secret];
}

function webhookRows(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('webhooks as w')
    .select([
      'w.id',
      'w.url',
      'w.description',
      'w.event_types',
      'w.enabled',
      'w.disabled_reason',
      'w.disabled_at',
      'w.cursor',
      'w.failed_attempts',
      'w.next_attempt_at',
      'w.delivered_count',
      'w.failed_count',
      'w.previous_secret_until',
      'w.created_at',
      'w.updated_at',
      sql<string>`(select count(*) from change_log e
        where e.client_id = w.client_id and e.seq > w.cursor and (w.event_types is null or e.type = any(w.event_types)))`.as('pending_events'),
    ])
    .where('w.client_id', '=', clientId);
}

type WebhookRow = Awaited<ReturnType<ReturnType<typeof webhookRows>['executeTakeFirstOrThrow']>>;

function toRecord(row: WebhookRow) {
  const retrying = row.enabled && row.failed_attempts > 0;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types ?? ('all' as const),
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at,
    cursor: row.cursor,
    pending_events: Number(row.pending_events),
    failed_attempts: row.failed_attempts,
    next_attempt_at: retrying ? row.next_attempt_at : null,
    delivered: Number(row.delivered_count),
    failed: Number(row.failed_count),
    previous_secret_until: row.previous_secret_until !== null && row.previous_secret_until > new Date() ? row.previous_secret_until : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

async function getWebhook(db: Kysely<DB>, clientId: number, id: number) {
  const row = await webhookRows(db, clientId).where('w.id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`webhook ${id} not found`, 'id');
  return toRecord(row);
}

/** The endpoint's URL, normalised, once its scheme, host and every address it resolves to pass. */
async function checkUrl(text: string, settings: WebhookSettings): Promise<string> {
  try {
    const url = parseEndpointUrl(text.trim(), settings.allowLoopback);
    await checkedAddresses(url, settings);
    return url.href;
  } catch (error) {
    if (error instanceof AddressRefused) throw new InvalidInputError(error.message, 'url');
    throw error;
  }
}

/** null: every type. */
function readEventTypes(value: 'all' | string[]): string[] | null {
  if (value === 'all') return null;
  if (value.length === 0) throw new InvalidInputError('event_types must name at least one event type, or be "all"', 'event_types');
  for (const type of value) {
    if (type === TEST_EVENT_TYPE)
      throw new InvalidInputError(`event_types: ${TEST_EVENT_TYPE} is sent by the test operation only and cannot be subscribed to`, 'event_types');
    if (!(CHANGE_TYPES as readonly string[]).includes(type))
      throw new InvalidInputError(`event_types: ${type} is not an event type; the types are ${CHANGE_TYPES.join(', ')}`, 'event_types');
  }
  return [...new Set(value)];
}

/**
 * Creates an endpoint at the current end of the client's log: it receives the events that
 * commit after it. Answers its secret, which no other answer shows.
 */
export async function createWebhook(db: Kysely<DB>, settings: WebhookSettings, clientId: number, input: Static<typeof NewWebhook>) {
  const url = await checkUrl(input.url, settings);
  const eventTypes = readEventTypes(input.event_types ?? 'all');
  const secret = newSecret();
  const { id } = await db
    .insertInto('webhooks')
    .values({
      client_id: clientId,
      url,
      event_types: eventTypes,
      description: input.description?.trim() || null,
      secret,
      cursor: sql<string>`coalesce((select last_seq from change_counters where client_id = ${clientId}), 0)`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...(await getWebhook(db, clientId, id)), secret };
}

export async function listWebhooks(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await webhookRows(db, clientId)
    .where('w.id', '>', cursor)
    .orderBy('w.id')
    .limit(limit + 1)
    .execute();
  return toPage(rows.map(toRecord), limit);
}

/**
 * Changes an endpoint. Disabling stops its deliveries; enabling a disabled one resumes them at
 * the first event it has not been delivered, at once and with a fresh retry schedule.
 */
export async function updateWebhook(db: Kysely<DB>, settings: WebhookSettings, clientId: number, id: number, changes: Static<typeof WebhookChanges>) {
  const current = await getWebhook(db, clientId, id);
  const url = changes.url === undefined ? undefined : await checkUrl(changes.url, settings);
  const eventTypes = changes.event_types === undefined ? undefined : readEventTypes(changes.event_types);
  const enabling = changes.enabled === true && !current.enabled;
  const disabling = changes.enabled === false && current.enabled;
  await db
    .updateTable('webhooks')
    .set({
      ...(url === undefined ? {} : { url }),
      ...(eventTypes === undefined ? {} : { event_types: eventTypes }),
      ...(changes.description === undefined ? {} : { description: changes.description?.trim() || null }),
      ...(enabling ? { enabled: true, disabled_reason: null, disabled_at: null, failed_attempts: 0, next_attempt_at: sql<Date>`now()` } : {}),
      ...(disabling ? { enabled: false, disabled_reason: 'disabled by an operator', disabled_at: sql<Date>`now()` } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .execute();
  return getWebhook(db, clientId, id);
}

export async function deleteWebhook(db: Kysely<DB>, clientId: number, id: number) {
  const record = await getWebhook(db, clientId, id);
  await db.deleteFrom('webhooks').where('client_id', '=', clientId).where('id', '=', id).execute();
  return record;
}

/** A new secret; the previous one keeps signing beside it for ROTATION_GRACE_MS. */
export async function rotateSecret(db: Kysely<DB>, clientId: number, id: number) {
  const secret = newSecret();
  const rotated = await db
    .updateTable('webhooks')
    .set({
      previous_secret: sql<string>`secret`,
      previous_secret_until: new Date(Date.now() + ROTATION_GRACE_MS),
      secret,
      updated_at: sql<Date>`now()`,
    })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .returning(['id', 'previous_secret_until'])
    .executeTakeFirst();
  if (rotated?.previous_secret_until == null) throw new NotFoundError(`webhook ${id} not found`, 'id');
  return { id: rotated.id, secret, previous_secret_until: rotated.previous_secret_until };
}

const deliveryColumns = [
  'id',
  'kind',
  'message_id',
  'seq',
  'type',
  'status',
  'attempts',
  'last_status_code',
  'latency_ms',
  'next_attempt_at',
  'last_error',
  'created_at',
  'updated_at',
] as const;

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof deliveryRows>['executeTakeFirstOrThrow']>>;

function deliveryRows(db: Kysely<DB>, clientId: number, webhookId: number) {
  return db.selectFrom('webhook_deliveries').select(deliveryColumns).where('client_id', '=', clientId).where('webhook_id', '=', webhookId);
}

// bigint ids and sequence numbers come as exact text; they stay below 2^53, where a JSON number is exact
function toDelivery(row: DeliveryRow) {
  return { ...row, id: Number(row.id), seq: row.seq === null ? null : Number(row.seq) };
}

/** The endpoint's deliveries, newest first. */
export async function listDeliveries(db: Kysely<DB>, clientId: number, webhookId: number, query: ListOptions<Static<typeof DeliveriesQuery>>) {
  await getWebhook(db, clientId, webhookId);
  let rows = deliveryRows(db, clientId, webhookId);
  if (query.cursor !== undefined) rows = rows.where('id', '<', String(query.cursor));
  const found = await rows
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(found.map(toDelivery), query.limit);
}

async function destinationOf(db: Kysely<DB>, clientId: number, webhookId: number): Promise<Destination> {
  const row = await db
    .selectFrom('webhooks')
    .select(['url', 'secret', 'previous_secret', 'previous_secret_until'])
    .where('client_id', '=', clientId)
    .where('id', '=', webhookId)
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`webhook ${webhookId} not found`, 'id');
  return { url: row.url, secrets: signingSecrets(row) };
}

/** Disables an endpoint whose receiver answered 410 Gone. */
export async function disableGone(db: Kysely<DB>, clientId: number, webhookId: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ enabled: false, disabled_reason: 'the receiver answered 410 Gone', disabled_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('client_id', '=', clientId)
    .where('id', '=', webhookId)
    .where('enabled', '=', true)
    .execute();
}

/** Sends one message out of band (a redelivery, a test) at once, once, and records how it went. */
async function sendOutOfBand(
  db: Kysely<DB>,
  settings: WebhookSettings,
  clientId: number,
  webhookId: number,
  delivery: { kind: Exclude<DeliveryKind, 'event'>; messageId: string; seq: string | null; type: string; message: (id: string) => Message },
) {
  const destination = await destinationOf(db, clientId, webhookId);
  const { id } = await db
    .insertInto('webhook_deliveries')
    .values({
      client_id: clientId,
      webhook_id: webhookId,
      kind: delivery.kind,
      message_id: delivery.messageId,
      seq: delivery.seq,
      type: delivery.type,
      status: 'pending',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const result: AttemptResult = await attemptDelivery(destination, delivery.message(delivery.messageId), settings);
  if (result.outcome === 'gone') await disableGone(db, clientId, webhookId);
  const row = await db
    .updateTable('webhook_deliveries')
    .set({
      status: result.outcome === 'succeeded' ? 'succeeded' : 'failed',
      attempts: 1,
      last_status_code: result.statusCode,
      latency_ms: result.latencyMs,
      last_error: result.error,
      updated_at: sql<Date>`now()`,
    })
    .where('client_id', '=', clientId)
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .returning(deliveryColumns)
    .executeTakeFirstOrThrow();
  return toDelivery(row);
}

/**
 * Sends a delivery's message again, now, outside the log's order (the endpoint's own sequence
 * goes on undisturbed), with the same webhook-id. Refused when the event is no longer kept.
 */
export async function redeliver(db: Kysely<DB>, settings: WebhookSettings, clientId: number, webhookId: number, deliveryId: number) {
  const original = await deliveryRows(db, clientId, webhookId).where('id', '=', String(deliveryId)).executeTakeFirst();
  if (original === undefined) throw new NotFoundError(`delivery ${deliveryId} of webhook ${webhookId} not found`, 'delivery');
  if (original.kind === 'test' || original.seq === null)
    return sendOutOfBand(db, settings, clientId, webhookId, {
      kind: 'redelivery',
      messageId: original.message_id,
      seq: null,
      type: TEST_EVENT_TYPE,
      message: (id) => testMessage(id, webhookId),
    });
  const event = await db
    .selectFrom('change_log')
    .select(['seq', 'type', 'occurred_at', 'object'])
    .where('client_id', '=', clientId)
    .where('seq', '=', original.seq)
    .executeTakeFirst();
  if (event === undefined) throw new ConflictError(`event ${original.seq} is no longer in the change log (older than its retention)`, 'delivery');
  return sendOutOfBand(db, settings, clientId, webhookId, {
    kind: 'redelivery',
    messageId: original.message_id,
    seq: event.seq,
    type: event.type,
    message: () => eventMessage(clientId, event),
  });
}

/** Sends a `webhook.test` event now, outside the log's order, whether the endpoint is enabled or not. */
export async function sendTest(db: Kysely<DB>, settings: WebhookSettings, clientId: number, webhookId: number) {
  return sendOutOfBand(db, settings, clientId, webhookId, {
    kind: 'test',
    messageId: `msg_test_${randomUUID()}`,
    seq: null,
    type: TEST_EVENT_TYPE,
    message: (id) => testMessage(id, webhookId),
  });
}
