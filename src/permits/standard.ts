import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { withChanges } from '../changes/log.js';
import { isUniqueViolation, InvalidInputError, NotFoundError, ConflictError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import { toPage } from '../admin/operation.js';
import type { ListOptions } from '../admin/schemas.js';
import { onlyRow } from '../db/database.js';
import { pushedPermitRows } from './pushed-rows.js';
import type { NewPermitType, NewStandardPermit, PermitListQuery, PermitRecord } from './schemas.js';

/** The operator side of permits: permit types, standard permits, and the listing of both kinds. */

const permitTypeColumns = ['t.id', 't.short_name', 't.lot_id', 'l.name as lot', 't.created_at'] as const;

async function findLot(db: Kysely<DB>, clientId: number, lot: string | number) {
  const byId = typeof lot === 'number';
  const row = await db
    .selectFrom('lots')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .$if(byId, (q) => q.where('id', '=', Number(lot)))
    .$if(!byId, (q) => q.where(sql`lower(name)`, '=', String(lot).trim().toLowerCase()))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no lot ${lot} for this client`, 'lot');
  return row;
}

export async function createPermitType(db: Kysely<DB>, clientId: number, input: Static<typeof NewPermitType>) {
  const shortName = input.short_name.trim();
  if (shortName === '' || shortName.length > 50) throw new InvalidInputError('short_name must be 1-50 characters', 'short_name');
  const lot = await findLot(db, clientId, input.lot);
  try {
    const row = await db
      .insertInto('permit_types')
      .values({ client_id: clientId, short_name: shortName, lot_id: lot.id })
      .returning(['id', 'short_name', 'lot_id', 'created_at'])
      .executeTakeFirstOrThrow();
    return { id: row.id, short_name: row.short_name, lot_id: row.lot_id, lot: lot.name, created_at: row.created_at };
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`a permit type ${shortName} already exists`, 'short_name');
    throw error;
  }
}

export async function listPermitTypes(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('permit_types as t')
    .innerJoin('lots as l', (join) => join.onRef('l.client_id', '=', 't.client_id').onRef('l.id', '=', 't.lot_id'))
    .select(permitTypeColumns)
    .where('t.client_id', '=', clientId)
    .where('t.id', '>', cursor)
    .orderBy('t.id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

/** Decimal text with at most `places` decimals, from the admin's text or JSON number. */
function decimal(value: string | number | undefined, places: number, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!new RegExp(`^\\d{1,9}(\\.\\d{1,${places}})?$`).test(text)) {
    throw new InvalidInputError(`${field} must be a decimal from 0 with at most ${places} decimal places`, field);
  }
  return text;
}

/** An admin time (ISO-8601 with an offset) as PostgreSQL reads it; 400 when it names no real moment. */
export async function instant(db: Kysely<DB>, text: string, field: string): Promise<Date> {
  try {
    const { rows } = await sql<{ at: Date }>`select ${text}::timestamptz as at`.execute(db);
    return onlyRow({ rows }).at;
  } catch {
    throw new InvalidInputError(`${field} is not a valid time`, field);
  }
}

/**
 * Issues a standard permit to a user's vehicles and/or to plates. The amount defaults to the
 * lot's default cost; each tax not given is the amount times the lot's rate, rounded to 5
 * places (numeric arithmetic in SQL, exact), as the seed's Lot Value sample shows.
 */
export async function createStandardPermit(db: Kysely<DB>, clientId: number, input: Static<typeof NewStandardPermit>) {
  const amount = decimal(input.amount, 5, 'amount') ?? null;
  const tax1 = decimal(input.tax_amount1, 5, 'tax_amount1') ?? null;
  const tax2 = decimal(input.tax_amount2, 5, 'tax_amount2') ?? null;
  const start = await instant(db, input.start, 'start');
  const end = await instant(db, input.end, 'end');
  if (end.getTime() <= start.getTime()) throw new InvalidInputError('end must be after start', 'end');

  const plates = (input.plates ?? []).map((plate) => plate.trim());
  for (const plate of plates) {
    if (normalisePlate(plate) === '' || plate.length > 25)
      throw new InvalidInputError(`plate ${JSON.stringify(plate)} must be 1-25 characters with a letter or digit`, 'plates');
  }
  const vehicleIds = [...new Set(input.vehicle_ids ?? [])];
  if (vehicleIds.length === 0 && plates.length === 0) throw new InvalidInputError('a standard permit needs vehicle_ids or plates', 'vehicle_ids');

  const typeIsId = typeof input.permit_type === 'number';
  const permitType = await db
    .selectFrom('permit_types')
    .select('id')
    .where('client_id', '=', clientId)
    .$if(typeIsId, (q) => q.where('id', '=', Number(input.permit_type)))
    .$if(!typeIsId, (q) => q.where(sql`lower(short_name)`, '=', String(input.permit_type).trim().toLowerCase()))
    .executeTakeFirst();
  if (permitType === undefined) throw new NotFoundError(`no permit type ${input.permit_type} for this client`, 'permit_type');

  if (input.user_id !== undefined) {
    const user = await db.selectFrom('users').select('id').where('client_id', '=', clientId).where('id', '=', input.user_id).executeTakeFirst();
    if (user === undefined) throw new NotFoundError(`no user ${input.user_id} for this client`, 'user_id');
  }
  if (vehicleIds.length > 0) {
    const found = await db
      .selectFrom('vehicles')
      .select('id')
      .where('client_id', '=', clientId)
      .where((eb) => eb('id', '=', eb.fn.any(eb.val(vehicleIds))))
      .execute();
    const missing = vehicleIds.filter((id) => !found.some((row) => row.id === id));
    if (missing.length > 0) throw new NotFoundError(`no vehicle ${missing.join(', ')} for this client`, 'vehicle_ids');
  }

  const id = await withChanges(db, clientId, async (trx, emit) => {
    const { rows } = await sql<{ id: number }>`
      insert into standard_permits (client_id, permit_type_id, user_id, start_at, end_at, amount, tax_amount1, tax_amount2)
      select t.client_id, t.id, ${input.user_id ?? null}::integer, ${start}, ${end}, a.amount,
        coalesce(${tax1}::numeric, round(a.amount * l.tax_rate1 / 100, 5)),
        coalesce(${tax2}::numeric, round(a.amount * l.tax_rate2 / 100, 5))
      from permit_types t
      join lots l on l.client_id = t.client_id and l.id = t.lot_id
      cross join lateral (select coalesce(${amount}::numeric, l.default_cost) as amount) a
      where t.client_id = ${clientId} and t.id = ${permitType.id}
      returning id
    `.execute(trx);
    const permitId = onlyRow({ rows }).id;
    if (vehicleIds.length > 0) {
      await trx
        .insertInto('standard_permit_vehicles')
        .values(vehicleIds.map((vehicleId) => ({ client_id: clientId, permit_id: permitId, vehicle_id: vehicleId })))
        .execute();
    }
    // The same plate spelt twice is one plate; the first spelling is kept.
    const byNorm = new Map<string, string>();
    for (const plate of plates) if (!byNorm.has(normalisePlate(plate))) byNorm.set(normalisePlate(plate), plate);
    if (byNorm.size > 0) {
      await trx
        .insertInto('standard_permit_plates')
        .values([...byNorm].map(([plateNorm, plate]) => ({ client_id: clientId, permit_id: permitId, plate, plate_norm: plateNorm })))
        .execute();
    }
    emit({ type: 'permit.created', object: onlyRow({ rows: await standardPermits(trx, clientId, { ids: [permitId], limit: 1 }) }) });
    return permitId;
  });
  return onlyRow({ rows: await standardPermits(db, clientId, { ids: [id], limit: 1 }) });
}

interface StandardFilter {
  readonly ids?: number[];
  readonly plateNorm?: string;
  readonly after?: number;
  readonly limit: number;
}

async function standardPermits(db: Kysely<DB>, clientId: number, filter: StandardFilter) {
  const rows = await db
    .selectFrom('standard_permits as s')
    .innerJoin('permit_types as t', (join) => join.onRef('t.client_id', '=', 's.client_id').onRef('t.id', '=', 's.permit_type_id'))
    .innerJoin('lots as l', (join) => join.onRef('l.client_id', '=', 't.client_id').onRef('l.id', '=', 't.lot_id'))
    .select([
      's.id',
      't.short_name',
      'l.name as lot',
      's.user_id',
      sql<number[]>`array(select v.vehicle_id from standard_permit_vehicles v where v.client_id = s.client_id and v.permit_id = s.id order by v.vehicle_id)`.as(
        'vehicle_ids',
      ),
      sql<string[]>`array(select p.plate from standard_permit_plates p where p.client_id = s.client_id and p.permit_id = s.id order by p.plate_norm)`.as(
        'plates',
      ),
      's.start_at',
      's.end_at',
      's.amount',
      's.tax_amount',
      's.tax_amount1',
      's.tax_amount2',
      's.created_at',
      's.deleted_at',
    ])
    .where('s.client_id', '=', clientId)
    .$if(filter.ids !== undefined, (q) => q.where((eb) => eb('s.id', '=', eb.fn.any(eb.val(filter.ids!)))))
    .$if(filter.after !== undefined, (q) => q.where('s.id', '>', filter.after!))
    .$if(filter.plateNorm !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('standard_permit_plates as p')
              .select('p.permit_id')
              .whereRef('p.client_id', '=', 's.client_id')
              .whereRef('p.permit_id', '=', 's.id')
              .where('p.plate_norm', '=', filter.plateNorm!),
          ),
          eb.exists(
            eb
              .selectFrom('standard_permit_vehicles as sv')
              .innerJoin('vehicles as v', (join) => join.onRef('v.client_id', '=', 'sv.client_id').onRef('v.id', '=', 'sv.vehicle_id'))
              .select('sv.permit_id')
              .whereRef('sv.client_id', '=', 's.client_id')
              .whereRef('sv.permit_id', '=', 's.id')
              .where('v.plate_norm', '=', filter.plateNorm!),
          ),
        ]),
      ),
    )
    .orderBy('s.id')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => ({ kind: 'standard' as const, type: 'standard' as const, ...row }));
}

interface PushedFilter {
  readonly plateNorm?: string;
  readonly disconnected?: boolean;
  readonly after: number;
  readonly limit: number;
}

async function pushedPermits(db: Kysely<DB>, clientId: number, filter: PushedFilter) {
  const rows = await pushedPermitRows(db, clientId)
    .where('p.id', '>', String(filter.after))
    .$if(filter.plateNorm !== undefined, (q) => q.where('p.plate_norm', '=', filter.plateNorm!))
    .$if(filter.disconnected === true, (q) => q.where('p.disconnected', '=', true))
    .orderBy('p.id')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => ({ kind: 'pushed' as const, ...row, id: Number(row.id) }));
}

/**
 * Where pushed permits start in the listing's cursor space: standard permits come first (cursor
 * = their id, below 2^31), then pushed ones (cursor = this plus their id).
 */
const PUSHED_CURSOR_BASE = 2 ** 31;

/**
 * The admin listing of both kinds of permit, standard first, each by id; `plate` matches the
 * normalised plate (a standard permit's plates or its vehicles' plates), `disconnected` keeps
 * only the pushed permits whose zone matched no lot.
 */
export async function listPermits(db: Kysely<DB>, clientId: number, query: ListOptions<Static<typeof PermitListQuery>>) {
  const plateNorm = query.plate === undefined ? undefined : normalisePlate(query.plate);
  const cursor = query.cursor ?? 0;
  const limit = query.limit;
  const items: Array<Static<typeof PermitRecord>> = [];
  let nextCursor: number | null = null;

  if (cursor < PUSHED_CURSOR_BASE && query.disconnected !== true) {
    const standard = await standardPermits(db, clientId, { plateNorm, after: cursor, limit: limit + 1 });
    items.push(...standard.slice(0, limit));
    const lastShown = standard[limit - 1];
    if (standard.length > limit && lastShown !== undefined) return { items, next_cursor: lastShown.id };
  }
  const room = limit - items.length;
  const pushedAfter = Math.max(cursor - PUSHED_CURSOR_BASE, 0);
  const pushed = await pushedPermits(db, clientId, { plateNorm, disconnected: query.disconnected, after: pushedAfter, limit: room + 1 });
  items.push(...pushed.slice(0, room));
  const last = items.at(-1);
  if (pushed.length > room && last !== undefined) nextCursor = last.kind === 'pushed' ? PUSHED_CURSOR_BASE + last.id : last.id;
  return { items, next_cursor: nextCursor };
}
