import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../admin/operation.js';
import { Answer, DateTime, DecimalText, Id, Instant, NewestFirstPageQuery, Nullable, RowId } from '../admin/schemas.js';

const Decimal = (description: string) => Type.Union([Type.String({ maxLength: 20 }), Type.Number({ minimum: 0 })], { description });

export const NewPermitType = Type.Object({
  short_name: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. LOT3, BIKE' }),
  lot: Type.Union([RowId(), Type.String({ minLength: 1, maxLength: 200 })], { description: 'a lot id or name' }),
});

export const NewStandardPermit = Type.Object({
  permit_type: Type.Union([RowId(), Type.String({ minLength: 1, maxLength: 50 })], { description: 'a permit type id or short name' }),
  user_id: Type.Optional(RowId()),
  vehicle_ids: Type.Optional(Type.Array(RowId(), { maxItems: 100 })),
  plates: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 25 }), { maxItems: 100 })),
  start: Instant,
  end: Instant,
  amount: Type.Optional(Decimal('pre-tax amount paid, up to 5 decimals; the lot default cost when absent')),
  tax_amount1: Type.Optional(Decimal('up to 5 decimals; amount × the lot tax rate 1 when absent')),
  tax_amount2: Type.Optional(Decimal('up to 5 decimals; amount × the lot tax rate 2 when absent')),
});

export const PermitListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  // Pushed permits (bigint ids) follow standard ones in the cursor space: above 2^31.
  cursor: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'next_cursor of the previous page' })),
  plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  disconnected: Type.Optional(Type.Boolean({ description: 'only pushed permits whose zone matched no lot' })),
});

/** The Paystation status list's filters (pushed permits, newest first); every filter given must hold. */
export const PushedPermitQuery = Type.Object({
  ...NewestFirstPageQuery.properties,
  plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'the plate, matched normalised' })),
  zone: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the zone as sent, matched trimmed and case-insensitively' })),
  // query text cannot tell a number from a name: digits are an id, anything else a name
  integration: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'an integration id or name' })),
  promo_code: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'the promo code, matched trimmed and case-insensitively' })),
  disconnected: Type.Optional(Type.Boolean({ description: 'true: only permits whose zone matched no lot; false: only the others' })),
  // only permits valid then: start ≤ t < end, not deleted
  valid_at: Type.Optional(Type.Union([Type.Literal('now'), Instant], { description: 'now, or an ISO-8601 time with an offset, e.g. 2026-11-24T10:00:00Z' })),
  // only permits starting at or after `from`, and before `to`
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
});

export const PermitTypeRecord = Answer({
  id: Id,
  short_name: Type.String(),
  lot_id: Id,
  lot: Type.String({ description: 'the lot name' }),
  created_at: DateTime,
});

/** A standard permit, issued by the operator to vehicles on file and/or plates. */
export const StandardPermitRecord = Answer({
  kind: Type.Literal('standard'),
  type: Type.Literal('standard'),
  id: Id,
  short_name: Type.String({ description: 'the permit type' }),
  lot: Type.String(),
  user_id: Nullable(Id),
  vehicle_ids: Type.Array(Id),
  plates: Type.Array(Type.String()),
  start_at: DateTime,
  end_at: DateTime,
  amount: DecimalText,
  tax_amount: DecimalText,
  tax_amount1: DecimalText,
  tax_amount2: DecimalText,
  created_at: DateTime,
  deleted_at: Nullable(DateTime),
});

/** A permit pushed by an integration (permits/push). */
export const PushedPermitRecord = Answer({
  kind: Type.Literal('pushed'),
  id: Id,
  reference_id: Type.String(),
  type: Type.String({ description: "the pushing integration's origin" }),
  short_name: Nullable(Type.String({ description: 'the zone, else the permit number' })),
  integration_id: Id,
  integration: Type.String({ description: "the pushing integration's name" }),
  plate: Type.String(),
  amount: Nullable(DecimalText),
  currency: Type.String(),
  start_at: DateTime,
  end_at: DateTime,
  permit_no: Nullable(Type.String()),
  ticket_number: Nullable(Type.String()),
  zone: Nullable(Type.String()),
  lot: Nullable(Type.String({ description: 'the lot the zone matched' })),
  disconnected: Type.Boolean({ description: 'the zone matched no lot' }),
  promo_code: Nullable(Type.String()),
  created_at: DateTime,
  updated_at: DateTime,
  deleted_at: Nullable(DateTime),
});

export const PermitRecord = Type.Union([StandardPermitRecord, PushedPermitRecord]);

const Amount = Type.Number({ description: 'an exact sum as a JSON number' });

/** One lot of the lot value report: a permits/lot-values row, as the integration API and the admin API answer it. */
export const LotValueRecord = Answer({
  lot_type: Type.String(),
  lot_name: Type.String(),
  default_cost: Amount,
  total_permits: Type.Integer({ minimum: 0, description: "the lot's capacity" }),
  rented_permits: Type.Integer({ minimum: 0, description: 'standard permits valid now in the lot' }),
  utilized_pct: Nullable(Type.Number({ description: 'rented × 100 / capacity, 2 places; null when the capacity is 0' })),
  amount_projected: Amount,
  amount: Amount,
  tax_amount: Amount,
  tax_amount1: Amount,
  tax_amount2: Amount,
  total: Amount,
});
