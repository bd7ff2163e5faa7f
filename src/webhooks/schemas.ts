import { Type } from '@sinclair/typebox';
import { Answer, DateTime, Id, NewestFirstPageQuery, Nullable, RowId } from '../admin/schemas.js';
import { CHANGE_TYPES } from '../changes/log.js';

const MAX_URL_LENGTH = 2_000;

const EventTypes = Type.Union([Type.Literal('all'), Type.Array(Type.String({ maxLength: 100 }), { maxItems: CHANGE_TYPES.length })], {
  description: `"all" (every type, including types added later) or a list of event types: ${CHANGE_TYPES.join(', ')}`,
});
const Url = Type.String({ minLength: 1, maxLength: MAX_URL_LENGTH, description: 'an http or https URL on a public address' });
const Description = Type.String({ maxLength: 500 });

export const NewWebhook = Type.Object({
  url: Url,
  event_types: Type.Optional(EventTypes),
  description: Type.Optional(Description),
});

/** An endpoint's changes: only what is given changes. */
export const WebhookChanges = Type.Object({
  url: Type.Optional(Url),
  event_types: Type.Optional(EventTypes),
  description: Type.Optional(Nullable(Description)),
  enabled: Type.Optional(Type.Boolean({ description: 'false stops deliveries; true resumes them at the first event not yet delivered' })),
});

export const WebhookParams = Type.Object({ id: RowId() });
export const DeliveryParams = Type.Object({ id: RowId(), delivery: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const DeliveriesQuery = NewestFirstPageQuery;

const webhookProperties = {
  id: Id,
  url: Type.String(),
  description: Nullable(Type.String()),
  event_types: EventTypes,
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String()),
  disabled_at: Nullable(DateTime),
  cursor: Type.String({ pattern: '^\\d+$', description: 'the last sequence number delivered (or skipped, not subscribed)' }),
  pending_events: Type.Integer({ minimum: 0, description: 'subscribed events after the cursor' }),
  failed_attempts: Type.Integer({ minimum: 0, description: 'failed attempts in a row at the event after the cursor' }),
  next_attempt_at: Nullable(DateTime),
  delivered: Type.Integer({ minimum: 0, description: 'events delivered' }),
  failed: Type.Integer({ minimum: 0, description: 'events given up on (the endpoint was disabled)' }),
  previous_secret_until: Nullable(DateTime),
  created_at: DateTime,
  updated_at: DateTime,
};

/** An endpoint as lists and changes answer it: never its secret. */
export const WebhookRecord = Answer(webhookProperties);

/** The answer that creates an endpoint: the only one with its secret. */
export const CreatedWebhook = Answer({
  ...webhookProperties,
  secret: Type.String({ description: 'whsec_… — shown in this answer only; verifies the webhook-signature header' }),
});

export const RotatedSecret = Answer({
  id: Id,
  secret: Type.String({ description: 'the new whsec_… secret, shown in this answer only' }),
  previous_secret_until: DateTime,
});

export const DeliveryRecord = Answer({
  id: Id,
  kind: Type.Union([Type.Literal('event'), Type.Literal('redelivery'), Type.Literal('test')]),
  message_id: Type.String({ description: 'the webhook-id header' }),
  seq: Nullable(Type.Integer({ minimum: 1 })),
  type: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer({ minimum: 0 }),
  last_status_code: Nullable(Type.Integer()),
  latency_ms: Nullable(Type.Integer({ minimum: 0 })),
  next_attempt_at: Nullable(DateTime),
  last_error: Nullable(Type.String()),
  created_at: DateTime,
  updated_at: DateTime,
});
