import { Type } from '@sinclair/typebox';
import { Instant, Money, RowId } from '../admin/schemas.js';
import { APPEAL_STATES } from './service.js';

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

export const NewPayment = Type.Object({ amount: Money });

export const AppealChange = Type.Object({ state: Type.String({ description: APPEAL_STATES.join(' | ') }) });
