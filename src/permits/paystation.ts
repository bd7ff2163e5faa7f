import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import type { ListOptions } from '../admin/schemas.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import type { PushedPermitQuery } from './schemas.js';

/**
 * Pushed permits as the operator sees them (the permits listing and the Paystation status
 * list): the permit, its integration and the lot its zone named. One column list for both.
 */
export function pushedPermitRows(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('pushed_permits as p')
    .innerJoin('integrations as i', (join) => join.onRef('i.client_id', '=', 'p.client_id').onRef('i.id', '=', 'p.integration_id'))
    .leftJoin('lots as l', (join) => join.onRef('l.client_id', '=', 'p.client_id').onRef('l.id', '=', 'p.lot_id'))
    .select([
      'p.id',
      'p.reference_id',
      'i.origin as type',
      sql<string | null>`coalesce(p.zone_name, p.permit_no)`.as('short_name'),
      'p.integration_id',
      'i.name as integration',
      'p.plate',
      'p.amount',
      'p.currency',
      'p.start_at',
      'p.end_at',
      'p.permit_no',
      'p.ticket_number',
      'p.zone_name as zone',
      'l.name as lot',
      'p.disconnected',
      'p.promo_code',
      'p.created_at',
      'p.updated_at',
      'p.deleted_at',
    ])
    .where('p.client_id', '=', clientId);
}

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

function instant(text: string, field: string): Date {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new InvalidInputError(`${field}: ${text} is not a time of the calendar`, field);
  return time;
}

function nonBlank(text: string, field: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidInputError(`${field}: must not be blank`, field);
  return trimmed;
}

async function integrationId(db: Kysely<DB>, clientId: number, integration: string | number): Promise<number> {
  const byId = typeof integration === 'number';
  const row = await db
    .selectFrom('integrations')
    .select('id')
    .where('client_id', '=', clientId)
    .$if(byId, (q) => q.where('id', '=', Number(integration)))
    .$if(!byId, (q) => q.where(sql`lower(name)`, '=', String(integration).trim().toLowerCase()))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no integration ${integration} for this client`, 'integration');
  return row.id;
}

/** Reads the list's query into a filter: 400 for a value no permit could match, 404 for an unknown integration. */
export async function readPaystationFilter(db: Kysely<DB>, clientId: number, query: Static<typeof PushedPermitQuery>): Promise<PaystationFilter> {
  const plateNorm = query.plate === undefined ? undefined : normalisePlate(query.plate);
  if (plateNorm === '') throw new InvalidInputError('plate: must hold a letter or a digit', 'plate');
  const from = query.from === undefined ? undefined : instant(query.from, 'from');
  const to = query.to === undefined ? undefined : instant(query.to, 'to');
  if (from !== undefined && to !== undefined && to <= from) throw new InvalidInputError('to: must be later than from', 'to');
  return {
    ...(plateNorm === undefined ? {} : { plateNorm }),
    ...(query.zone === undefined ? {} : { zone: nonBlank(query.zone, 'zone').toLowerCase() }),
    ...(query.integration === undefined ? {} : { integrationId: await integrationId(db, clientId, query.integration) }),
    ...(query.promo_code === undefined ? {} : { promoCode: nonBlank(query.promo_code, 'promo_code').toLowerCase() }),
    ...(query.disconnected === undefined ? {} : { disconnected: query.disconnected }),
    ...(query.valid_at === undefined ? {} : { validAt: query.valid_at === 'now' ? 'now' : instant(query.valid_at, 'valid_at') }),
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
  return pushedPermitRows(db, clientId)
    .$if(before !== undefined, (q) => q.where('p.id', '<', before!))
    .$if(filter.plateNorm !== undefined, (q) => q.where('p.plate_norm', '=', filter.plateNorm!))
    .$if(filter.zone !== undefined, (q) => q.where(sql`lower(p.zone_name)`, '=', filter.zone!))
    .$if(filter.integrationId !== undefined, (q) => q.where('p.integration_id', '=', filter.integrationId!))
    .$if(filter.promoCode !== undefined, (q) => q.where('p.promo_code', 'is not', null).where(sql`lower(p.promo_code)`, '=', filter.promoCode!))
    .$if(filter.disconnected !== undefined, (q) => q.where('p.disconnected', '=', filter.disconnected!))
    .$if(at !== undefined, (q) => q.where('p.deleted_at', 'is', null).where('p.start_at', '<=', at!).where('p.end_at', '>', at!))
    .$if(filter.from !== undefined, (q) => q.where('p.start_at', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('p.start_at', '<', filter.to!))
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

/** One page of the Paystation status list: `next_cursor` is the last id shown; the next page holds the ids below it. */
export async function listPaystation(db: Kysely<DB>, clientId: number, query: ListOptions<Static<typeof PushedPermitQuery>>) {
  const filter = await readPaystationFilter(db, clientId, query);
  const rows = await paystationRows(db, clientId, filter, query.cursor === undefined ? undefined : String(query.cursor), query.limit + 1);
  const items = rows.slice(0, query.limit).map((row) => ({ kind: 'pushed' as const, ...row, id: Number(row.id) }));
  const last = items.at(-1);
  return { items, next_cursor: rows.length > query.limit && last !== undefined ? last.id : null };
}

/** Rows per query of the CSV export. */
export const CSV_BATCH_SIZE = 1000;

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
 * Every permit the filters select, newest first, read CSV_BATCH_SIZE at a time by the same
 * keyset as the pages: the server holds one batch, whatever the export's size. The filter is
 * read before the first batch, so a bad filter is refused before anything is sent.
 */
export async function paystationBatches(db: Kysely<DB>, clientId: number, query: Static<typeof PushedPermitQuery>) {
  const filter = await readPaystationFilter(db, clientId, query);
  return (async function* () {
    let before: string | undefined;
    for (;;) {
      const rows = await paystationRows(db, clientId, filter, before, CSV_BATCH_SIZE);
      if (rows.length > 0) yield rows;
      const last = rows.at(-1);
      if (last === undefined || rows.length < CSV_BATCH_SIZE) return;
      before = last.id;
    }
  })();
}
