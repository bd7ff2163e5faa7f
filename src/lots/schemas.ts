import { Type } from '@sinclair/typebox';
import { Answer, Count, DateTime, DecimalText, Id, Money, RowId } from '../admin/schemas.js';

export const NewLot = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  lot_type: Type.String({ description: 'Y yearly, M monthly, S semester, O other' }),
  default_cost: Type.Optional(Money),
  capacity: Type.Optional(Count({ description: 'permit capacity' })),
  tax_rate1: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
  tax_rate2: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
});

/** A lot's changes: any of a new lot's attributes, at least one; the others stay as they are. */
export const LotChanges = Type.Partial(NewLot);

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

/** `/lots/:id/aliases/:alias_id`. */
export const AliasParams = Type.Object({ id: RowId({ description: 'the lot id' }), alias_id: RowId({ description: 'the alias id' }) });

export const NewZoneAlias = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: "the zone as the pay station sends it (matched like a lot's name)" }),
});

export const ZoneAliasRecord = Answer({
  id: Id,
  lot_id: Id,
  name: Type.String(),
  created_at: DateTime,
  reconnected_permits: Type.Integer({ minimum: 0, description: 'disconnected pushed permits of this zone moved into the lot by the creation (0 when listed)' }),
});
