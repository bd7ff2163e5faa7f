import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../admin/operation.js';
import { Instant, RowId } from '../admin/schemas.js';

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
