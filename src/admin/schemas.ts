import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './operation.js';

/** `?limit=&cursor=` of every admin list. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  cursor: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Money on the operator side: a decimal with at most two places, as text or a number. */
export const Money = Type.Union([Type.String({ pattern: '^\\d{1,10}(\\.\\d{1,2})?$' }), Type.Number({ minimum: 0 })], {
  description: 'an amount with at most two decimals, as text ("12.50") or a number',
});

/** An ISO-8601 time with an offset or `Z`. */
export const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$',
  description: 'ISO-8601 with an offset or Z',
});
