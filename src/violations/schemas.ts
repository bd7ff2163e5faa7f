import { Type } from '@sinclair/typebox';
import { Answer, DateTime, DecimalText, Id, Instant, Money, Nullable, PageQuery, RowId } from '../admin/schemas.js';
import { APPEAL_STATES, VIOLATION_STATUSES } from './service.js';

/** A location or ticket category: a name of the client's. */
export const NewNamed = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

const IdOrName = (description: string) => Type.Union([RowId(), Type.String({ minLength: 1, maxLength: 200 })], { description });

export const NewViolationType = Type.Object({
  description: Type.String({ minLength: 1, maxLength: 500 }),
  default_cost: Type.Optional(Money),
  bylaw_code: Type.Optional(Type.String({ maxLength: 50 })),
  discount_amount: Type.Optional(Money),
  discount_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  category: Type.Optional(IdOrName('a ticket category id or name')),
});

export const NewViolation = Type.Object({
  ticket: Type.String({ minLength: 1, maxLength: 50 }),
  plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: "the client's vehicle with this plate" })),
  vehicle_id: Type.Optional(RowId()),
  location: Type.Optional(IdOrName('a location id or name')),
  category: Type.Optional(IdOrName('a ticket category id or name')),
  violation_type_ids: Type.Array(RowId(), { minItems: 1, maxItems: 20 }),
  issued: Instant,
  due: Instant,
  fine: Type.Optional({ ...Money, description: "default: the sum of the types' default costs" }),
  adjusted_fine: Type.Optional(Money),
  adjustment_reason: Type.Optional(Type.String({ maxLength: 500 })),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ViolationListQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(
    Type.Union(
      VIOLATION_STATUSES.map((status) => Type.Literal(status)),
      {
        description:
          'open: owing, not voided, not sent to collections | overdue: what the next collections export would send | paid: nothing owing | void | collections: sent to collections',
      },
    ),
  ),
  plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'only the vehicle with this plate (normalised match)' })),
});

export const NewPayment = Type.Object({ amount: Money });

export const AppealChange = Type.Object({ state: Type.String({ description: APPEAL_STATES.join(' | ') }) });

/** A location or ticket category. */
export const NamedRecord = Answer({ id: Id, name: Type.String(), created_at: DateTime });

export const ViolationTypeRecord = Answer({
  id: Id,
  description: Type.String(),
  default_cost: DecimalText,
  bylaw_code: Nullable(Type.String()),
  discount_amount: DecimalText,
  discount_hours: Type.Integer({ minimum: 0 }),
  category_id: Nullable(Id),
  created_at: DateTime,
});

/** A violation as the operator sees it: with its types, what was paid and what is owed. */
export const ViolationRecord = Answer({
  id: Id,
  uuid: Type.String(),
  ticket: Type.String(),
  vehicle_id: Nullable(Id),
  plate: Nullable(Type.String()),
  location_id: Nullable(Id),
  category_id: Nullable(Id),
  fine: DecimalText,
  adjusted_fine: Nullable(DecimalText),
  issued_at: DateTime,
  due_at: DateTime,
  spoiled_at: Nullable(DateTime),
  appeal_state: Type.Union(APPEAL_STATES.map((state) => Type.Literal(state))),
  sent_to_collections_at: Nullable(DateTime),
  collections_batch_id: Nullable(Type.String()),
  created_at: DateTime,
  violation_type_ids: Type.Array(Id),
  paid: DecimalText,
});

const BatchFields = {
  id: Type.String({ description: 'the batch id of send_overdue_to_collections' }),
  integration_id: Id,
  integration_name: Type.String({ description: 'the integration whose token asked for the export' }),
  record_count: Type.Integer({ minimum: 0 }),
  total_amount: { ...DecimalText, description: "what the batch's records ask for: each one's adjusted fine, or its fine" },
  created_at: DateTime,
};

export const CollectionsBatchRecord = Answer(BatchFields);

export const BatchParams = Type.Object({
  id: Type.String({ pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$', description: 'a batch id (a UUID)' }),
});

/** A record of a batch: what an operator reads of it, and the record itself as sent. */
export const BatchItemRecord = Answer({
  violation_id: Id,
  ticket: Type.String(),
  plate: Nullable(Type.String()),
  issued: Type.String({ description: 'as sent: UTC, e.g. 2016-05-03T20:00:00.000000Z' }),
  due: Type.String({ description: 'as sent: UTC' }),
  amount: { ...DecimalText, description: 'its adjusted fine, or its fine' },
  record: Type.Object({}, { additionalProperties: true, description: 'the record as send_overdue_to_collections sent it' }),
});

/** A batch with a page of its records, in violation id order. */
export const CollectionsBatchDetail = Answer({
  ...BatchFields,
  records: Type.Array(BatchItemRecord),
  next_cursor: Nullable(Type.Integer({ minimum: 0, description: 'the cursor of the next page of records; null on the last page' })),
});

/** One payment recorded on a violation. */
export const PaymentRecord = Answer({ id: Id, amount: DecimalText, paid_at: DateTime });

/** A violation with the payments recorded on it, oldest first. */
export const ViolationDetailRecord = Answer({ ...ViolationRecord.properties, payments: Type.Array(PaymentRecord) });
