import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { MAX_INTEGER, type ListOptions } from '../admin/schemas.js';
import { keysetBatches } from '../admin/operation.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import { pushedPermitRows } from './pushed-rows.js';
import type { PushedPermitQuery } from './schemas.js';
import { instant } from './standard.js';

/** The Paystation status filters, checked and resolved (an integration name to its id). */
interface PaystationFilter {
  readonly plateNorm?: string;
  readonly zone?: string;
  readonly integrationId?: number;
  readonly promoCode?: string;
  readonly disconnected?: boolean;
  /** `now` is the database's clock, as for every "valid now". */
  readonly validAt?: Date | 'now';
  readonly from?: Date;
  readonly to?: Date;
}

function nonBlank(text: string, field: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidInputError(`${field}: must not be blank`, field);
  return trimmed;
}

/** The client's integration named by its id (digits) or its name (trimmed, case-insensitive); 404 when there is none. */
async function integrationId(db: Kysely<DB>, clientId: number, integration: string): Promise<number> {
  const text = integration.trim();
  const id = /^\d{1,10}$/.test(text) ? Number(text) : undefined;
  const row = await db
    .selectFrom('integrations')
    .select('id')
    .where('client_id', '=', clientId)
    .$if(id !== undefined, (q) => q.where('id', '=', id! <= MAX_INTEGER ? id! : 0))
    .$if(id === undefined, (q) => q.where(sql`lower(name)`, '=', text.toLowerCase()))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no integration ${text} for this client`, 'integration');
  return row.id;
}

/** Reads the list's query into a filter: 400 for a value no permit could match, 404 for an unknown integration. */
export async function readPaystationFilter(db: Kysely<DB>, clientId: number, query: Static<typeof PushedPermitQuery>): Promise<PaystationFilter> {
  const plateNorm = query.plate === undefined ? undefined : normalisePlate(query.plate);
  if (plateNorm === '') throw new InvalidInputError('plate: must hold a letter or a digit', 'plate');
  const from = query.from === undefined ? undefined : await instant(db, query.from, 'from');
  const to = query.to === undefined ? undefined : await instant(db, query.to, 'to');
  const validAt = query.valid_at === undefined || query.valid_at === 'now' ? query.valid_at : await instant(db, query.valid_at, 'valid_at');
  if (from !== undefined && to !== undefined && to <= from) throw new InvalidInputError('to: must be later than from', 'to');
  return {
    ...(plateNorm === undefined ? {} : { plateNorm }),
    ...(query.zone === undefined ? {} : { zone: nonBlank(query.zone, 'zone').toLowerCase() }),
    ...(query.integration === undefined ? {} : { integrationId: await integrationId(db, clientId, query.integration) }),
    ...(query.promo_code === undefined ? {} : { promoCode: nonBlank(query.promo_code, 'promo_code').toLowerCase() }),
    ...(query.disconnected === undefined ? {} : { disconnected: query.disconnected }),
    ...(validAt === undefined ? {} : { validAt }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/**
 * The filtered permits below the id `before`, newest first: a keyset walk down an index that
 * leads with the client and ends with the id (migration 009 names which index serves which
 * filter), so page 10 000 costs what page 1 costs.
 */
function paystationRows(db: Kysely<DB>, clientId: number, filter: PaystationFilter, before: string | undefined, limit: number) {
  const at = filter.validAt === 'now' ? sql<Date>`now()` : filter.validAt;
  return (
    pushedPermitRows(db, clientId)
      .$if(before !== undefined, (q) => q.where('p.id', '<', before!))
      .$if(filter.plateNorm !== undefined, (q) => q.where('p.plate_norm', '=', filter.plateNorm!))
      .$if(filter.zone !== undefined, (q) => q.where(sql`lower(p.zone_name)`, '=', filter.zone!))
      .$if(filter.integrationId !== undefined, (q) => q.where('p.integration_id', '=', filter.integrationId!))
      .$if(filter.promoCode !== undefined, (q) => q.where('p.promo_code', 'is not', null).where(sql`lower(p.promo_code)`, '=', filter.promoCode!))
      .$if(filter.disconnected !== undefined, (q) => q.where('p.disconnected', '=', filter.disconnected!))
      .$if(at !== undefined, (q) => q.where('p.deleted_at', 'is', null).where('p.start_at', '<=', at!).where('p.end_at', '>', at!))
      .$if(filter.from !== undefined, (q) => q.where('p.start_at', '>=', filter.from!))
      .$if(filter.to !== undefined, (q) => q.where('p.start_at', '<', filter.to!))
      // A range that ends (`to`) is usually in the past, where PostgreSQL's guess that matching rows
      // are spread evenly over the ids sends it down the whole primary key (0.7 s at 1 M rows):
      // `id + 0` hides that order, so it reads the range through pushed_permits_start and sorts it
      // (docs/performance.md#paystation-status).
      .orderBy(filter.to === undefined ? sql`p.id` : sql`p.id + 0`, 'desc')
      .limit(limit)
      .execute()
  );
}

/** One page of the Paystation status list: `next_cursor` is the last id shown; the next page holds the ids below it. */
export async function listPaystation(db: Kysely<DB>, clientId: number, query: ListOptions<Static<typeof PushedPermitQuery>>) {
  const filter = await readPaystationFilter(db, clientId, query);
  const rows = await paystationRows(db, clientId, filter, query.cursor === undefined ? undefined : String(query.cursor), query.limit + 1);
  const items = rows.slice(0, query.limit).map((row) => ({ kind: 'pushed' as const, ...row, id: Number(row.id) }));
  const last = items.at(-1);
  return { items, next_cursor: rows.length > query.limit && last !== undefined ? last.id : null };
}

/** The CSV's columns, in order. */
export const PAYSTATION_CSV_COLUMNS = [
  'id',
  'reference_id',
  'integration',
  'type',
  'plate',
  'zone',
  'lot',
  'disconnected',
  'promo_code',
  'amount',
  'currency',
  'start_at',
  'end_at',
  'permit_no',
  'ticket_number',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;

/**
 * Every permit the filters select, newest first, in batches by the same keyset as the pages.
 * The filter is read before the first batch, so a bad filter is refused before anything is sent.
 */
export async function paystationBatches(db: Kysely<DB>, clientId: number, query: Static<typeof PushedPermitQuery>) {
  const filter = await readPaystationFilter(db, clientId, query);
  return keysetBatches(
    (before: string | undefined, size) => paystationRows(db, clientId, filter, before, size),
    (row) => row.id,
  );
}
