import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './operation.js';

/** The largest row id and count a PostgreSQL `integer` column holds. */
export const MAX_INTEGER = 2_147_483_647;

/** A row's id (ids are PostgreSQL integers: a larger number names no row and is refused). */
export const RowId = (options: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: MAX_INTEGER, ...options });

/** A count or capacity that fits an integer column. */
export const Count = (options: { description?: string; maximum?: number } = {}) => Type.Integer({ minimum: 0, maximum: MAX_INTEGER, ...options });

/** `?limit=&cursor=` of every admin list. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  cursor: Type.Optional(Count({ description: 'next_cursor of the previous page' })),
});

/**
 * `?limit=&cursor=` of a list read newest first by a bigint id (beyond `integer`): the next page
 * holds the rows below the cursor.
 */
export const NewestFirstPageQuery = Type.Object({
  limit: PageQuery.properties.limit,
  cursor: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'next_cursor of the previous page' })),
});

/** A list's query as a service takes it: the page size settled (`limit` given, or the default). */
export type ListOptions<Query extends { limit?: number }> = Omit<Query, 'limit'> & { limit: number };

export const IdParams = Type.Object({ id: RowId() });

/** Money on the operator side: a decimal with at most two places, as text or a number. */
export const Money = Type.Union([Type.String({ pattern: '^\\d{1,10}(\\.\\d{1,2})?$' }), Type.Number({ minimum: 0, maximum: 9_999_999_999.99 })], {
  description: 'an amount up to 9999999999.99 with at most two decimals, e.g. 12.50',
});

/** An ISO-8601 time with an offset or `Z`. */
export const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$',
  description: 'an ISO-8601 time with an offset, e.g. 2026-11-24T10:00:00Z',
});

/*
 * The answers' schemas. They document what each operation answers (the OpenAPI document) and
 * type what its `run` returns; Fastify never serialises with them, so an answer is exactly what
 * the service returned.
 */

/** A record of an answer: exactly these keys, so the document lists every key an answer has. */
export const Answer = <Properties extends TProperties>(properties: Properties) => Type.Object(properties, { additionalProperties: false });

/** A value or null (a column that may be empty, a left join that found nothing). */
export const Nullable = <Schema extends TSchema>(schema: Schema) => Type.Union([schema, Type.Null()]);

/** A row id in an answer. */
export const Id = Type.Integer({ minimum: 1 });

/**
 * A time the database reads as a `Date` (timestamptz): a `Date` to the code, ISO-8601 text in
 * the JSON answer (`Date.prototype.toJSON`).
 */
export const DateTime = Type.Unsafe<Date>(Type.String({ format: 'date-time' }));

/** A numeric column, read as exact decimal text (e.g. `"12.50"`). */
export const DecimalText = Type.String({ pattern: '^-?\\d+(\\.\\d+)?$', description: 'exact decimal text' });

/** A page of a list: its items and the cursor of the next page (null on the last). */
export const Page = <Item extends TSchema>(item: Item) =>
  Answer({
    items: Type.Array(item),
    next_cursor: Nullable(Type.Integer({ minimum: 0, description: 'the cursor of the next page; null on the last page' })),
  });
