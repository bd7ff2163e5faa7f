import { Type } from '@sinclair/typebox';
import { Answer, Count, DateTime, DecimalText, Id, Money } from '../admin/schemas.js';

export const NewLot = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  lot_type: Type.String({ description: 'Y yearly, M monthly, S semester, O other' }),
  default_cost: Type.Optional(Money),
  capacity: Type.Optional(Count({ description: 'permit capacity' })),
  tax_rate1: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
  tax_rate2: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
});

export const LotRecord = Answer({
  id: Id,
  name: Type.String(),
  lot_type: Type.String(),
  default_cost: DecimalText,
  capacity: Type.Integer({ minimum: 0 }),
  tax_rate1: DecimalText,
  tax_rate2: DecimalText,
  created_at: DateTime,
});
