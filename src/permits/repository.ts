import { sql, type Kysely } from 'kysely';
import { onlyRow, preparedName } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { zoneLotId } from '../lots/zones.js';

/** The columns a pushed permit is identified by for the duplicate rule (docs/api.md#permitspush, 9022). */
export interface DuplicateKey {
  readonly clientId: number;
  readonly integrationId: number;
  readonly plateNorm: string;
  readonly startAt: Date | string;
  readonly endAt: Date | string;
  readonly zoneName: string | null;
  readonly permitNo: string | null;
}

/**
 * Reads local `Y-m-d\TH:i:s` times in the zone `timeZone` as instants, says whether the end is
 * after the start, and finds the client's lot `zone` names (trimmed already; a lot name or a
 * zone alias, src/lots/zones.ts), in one round trip. The instants stay PostgreSQL text so that any
 * instant it can hold (even 1 BC, year 0001 read east of UTC) goes back in unchanged.
 */
export async function resolvePush(db: Kysely<DB>, clientId: number, timeZone: string, start: string, end: string, zone: string | null) {
  const { rows } = await sql<{ start_at: string; end_at: string; ordered: boolean; lot_id: number | null }>`${sql.raw(preparedName('permit_push_resolve'))}
    select s::text as start_at, e::text as end_at, e > s as ordered,
           ${zoneLotId(clientId, sql`${zone}::text`)} as lot_id
    from (select (${start}::timestamp at time zone ${timeZone}) as s, (${end}::timestamp at time zone ${timeZone}) as e) times
  `.execute(db);
  return onlyRow({ rows });
}

/** A new local end for a pushed permit, as an instant, and whether it is after the permit's start. */
export async function resolveNewEnd(db: Kysely<DB>, clientId: number, permitId: string, timeZone: string, end: string) {
  const { rows } = await sql<{ end_at: string; ordered: boolean }>`
    select e::text as end_at, e > p.start_at as ordered
    from (select (${end}::timestamp at time zone ${timeZone}) as e) times, pushed_permits p
    where p.client_id = ${clientId} and p.id = ${permitId}
  `.execute(db);
  // The permit was read by the caller a moment ago; a concurrent hard delete is not possible (deletes are soft).
  return onlyRow({ rows });
}

export interface NewPushedPermit {
  client_id: number;
  reference_id: string;
  integration_id: number;
  plate: string;
  plate_norm: string;
  amount: string | null;
  currency: string;
  start_at: string;
  end_at: string;
  permit_no: string | null;
  ticket_number: string | null;
  zone_name: string | null;
  lot_id: number | null;
  disconnected: boolean;
  promo_code: string | null;
}

/**
 * Inserts a pushed permit unless a live duplicate exists (the partial unique index
 * pushed_permits_duplicate_key decides, so concurrent pushes cannot both get in). Returns the
 * new reference id, or undefined for a duplicate.
 */
/** The columns of a pushed permit a change event carries (the permit as it is after the change). */
const PUSHED_PERMIT_COLUMNS = [
  'reference_id',
  'integration_id',
  'plate',
  'zone_name',
  'lot_id',
  'disconnected',
  'start_at',
  'end_at',
  'amount',
  'currency',
  'permit_no',
  'ticket_number',
  'promo_code',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;

export type PushedPermitRow = Awaited<ReturnType<typeof updatePushedPermit>>;

export async function insertPushedPermit(db: Kysely<DB>, permit: NewPushedPermit) {
  return db
    .insertInto('pushed_permits')
    .values(permit)
    .onConflict((conflict) =>
      conflict
        .expression(sql`client_id, integration_id, plate_norm, start_at, end_at, (coalesce(lower(zone_name), '')), (coalesce(permit_no, ''))`)
        .where('deleted_at', 'is', null)
        .doNothing(),
    )
    .returning(PUSHED_PERMIT_COLUMNS)
    .executeTakeFirst();
}

/** The live permit a push or update collides with, through the duplicate index. */
export async function findDuplicate(db: Kysely<DB>, key: DuplicateKey): Promise<string | undefined> {
  const row = await db
    .selectFrom('pushed_permits')
    .select('reference_id')
    .where('client_id', '=', key.clientId)
    .where('integration_id', '=', key.integrationId)
    .where('plate_norm', '=', key.plateNorm)
    .where('start_at', '=', sql<Date>`${key.startAt}::timestamptz`)
    .where('end_at', '=', sql<Date>`${key.endAt}::timestamptz`)
    .where(sql`coalesce(lower(zone_name), '')`, '=', (key.zoneName ?? '').toLowerCase())
    .where(sql`coalesce(permit_no, '')`, '=', key.permitNo ?? '')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.reference_id;
}

export async function findPushedPermit(db: Kysely<DB>, clientId: number, referenceId: string) {
  return db.selectFrom('pushed_permits').selectAll().where('client_id', '=', clientId).where('reference_id', '=', referenceId).executeTakeFirst();
}

export interface PushedPermitChanges {
  plate?: string;
  plate_norm?: string;
  amount?: string;
  currency?: string;
  end_at?: string;
}

/** Applies changes to a live permit; undefined when it is gone (deleted meanwhile). */
export async function updatePushedPermit(db: Kysely<DB>, clientId: number, id: string, changes: PushedPermitChanges) {
  return db
    .updateTable('pushed_permits')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(PUSHED_PERMIT_COLUMNS)
    .executeTakeFirst();
}

export async function softDeletePushedPermit(db: Kysely<DB>, clientId: number, id: string) {
  return db
    .updateTable('pushed_permits')
    .set({ deleted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(PUSHED_PERMIT_COLUMNS)
    .executeTakeFirst();
}

/**
 * Permits valid now (start ≤ now < end, not deleted) of both kinds, counted by type and zone.
 * A standard permit's type is `standard` and its zone its permit type's lot; a pushed
 * permit's type is its integration's origin and its zone the matched lot's name, else the
 * zone as sent (disconnected), else ''. `zones` are lower-cased names to keep: a lot's name or
 * one of its aliases keeps the lot's permits, another name the disconnected permits of that zone.
 */
export async function permitStats(db: Kysely<DB>, clientId: number, zones: readonly string[] | null) {
  // The lots the zones name (by lot name or alias); a pushed permit no lot took is matched on its zone as sent.
  const namedLots = sql`(select ${zoneLotId(clientId, sql`z`)} from unnest(${zones}::text[]) z)`;
  const zoneFilterStandard = zones === null ? sql`true` : sql`l.id in ${namedLots}`;
  const zoneFilterPushed = zones === null ? sql`true` : sql`(p.lot_id in ${namedLots} or (p.lot_id is null and lower(p.zone_name) = any(${zones})))`;
  const { rows } = await sql<{ type: string; zone: string; total: string }>`
    select type, zone, count(*)::text as total
    from (
      select 'standard' as type, l.name as zone
      from standard_permits s
      join permit_types t on t.client_id = s.client_id and t.id = s.permit_type_id
      join lots l on l.client_id = t.client_id and l.id = t.lot_id
      where s.client_id = ${clientId} and s.deleted_at is null and s.end_at > now() and s.start_at <= now()
        and ${zoneFilterStandard}
      union all
      select i.origin as type, coalesce(l.name, p.zone_name, '') as zone
      from pushed_permits p
      join integrations i on i.client_id = p.client_id and i.id = p.integration_id
      left join lots l on l.client_id = p.client_id and l.id = p.lot_id
      where p.client_id = ${clientId} and p.deleted_at is null and p.end_at > now() and p.start_at <= now()
        and ${zoneFilterPushed}
    ) valid
    group by type, zone
    order by lower(zone) collate "C", zone collate "C", type collate "C"
  `.execute(db);
  return rows;
}

/**
 * One row per lot of the client, in lot order, with its permits valid now (standard ones
 * through their permit type, pushed ones whose zone named the lot) and their money summed
 * exactly (numeric, read back as text).
 */
export async function lotValues(db: Kysely<DB>, clientId: number) {
  const { rows } = await sql<{
    lot_type: string;
    lot_name: string;
    default_cost: string;
    total_permits: number;
    rented_permits: string;
    utilized_pct: string | null;
    amount_projected: string;
    amount: string;
    tax_amount: string;
    tax_amount1: string;
    tax_amount2: string;
    total: string;
  }>`
    select l.lot_type, l.name as lot_name, l.default_cost, l.capacity as total_permits,
      coalesce(v.rented, 0) as rented_permits,
      case when l.capacity = 0 then null else round(coalesce(v.rented, 0) * 100.0 / l.capacity, 2) end as utilized_pct,
      coalesce(v.rented, 0) * l.default_cost as amount_projected,
      coalesce(v.amount, 0) as amount,
      coalesce(v.tax_amount, 0) as tax_amount,
      coalesce(v.tax_amount1, 0) as tax_amount1,
      coalesce(v.tax_amount2, 0) as tax_amount2,
      round(coalesce(v.amount + v.tax_amount + v.tax_amount1 + v.tax_amount2, 0), 2) as total
    from lots l
    left join lateral (
      select count(*) as rented, sum(amount) as amount, sum(tax_amount) as tax_amount,
        sum(tax_amount1) as tax_amount1, sum(tax_amount2) as tax_amount2
      from (
        select s.amount, s.tax_amount, s.tax_amount1, s.tax_amount2
        from permit_types t
        join standard_permits s on s.client_id = t.client_id and s.permit_type_id = t.id
        where t.client_id = l.client_id and t.lot_id = l.id
          and s.deleted_at is null and s.end_at > now() and s.start_at <= now()
        union all
        -- a pushed permit carries one amount, tax included as the pay station charged it
        select coalesce(p.amount, 0), 0, 0, 0
        from pushed_permits p
        where p.client_id = l.client_id and p.lot_id = l.id
          and p.deleted_at is null and p.end_at > now() and p.start_at <= now()
      ) valid
    ) v on true
    where l.client_id = ${clientId}
    order by l.id
  `.execute(db);
  return rows;
}

/** A time as JavaScript's ISO text (the other change events' times): UTC, milliseconds, `Z`. */
const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * The pushed permit `p` as its change events carry it (service.ts pushedPermitEvent), built by
 * the database so that many events are written in one statement.
 */
const PUSHED_PERMIT_EVENT = sql`json_build_object(
  'kind', 'pushed', 'reference_id', p.reference_id, 'integration_id', p.integration_id, 'plate', p.plate,
  'zone', p.zone_name, 'lot_id', p.lot_id, 'disconnected', p.disconnected, 'start', ${iso('p.start_at')}, 'end', ${iso('p.end_at')},
  'amount', p.amount::text, 'currency', p.currency, 'permit_no', p.permit_no, 'ticket_number', p.ticket_number,
  'promo_code', p.promo_code, 'created_at', ${iso('p.created_at')}, 'updated_at', ${iso('p.updated_at')},
  'deleted_at', ${iso('p.deleted_at')})`;

/**
 * Moves up to `limit` disconnected pushed permits of the zone (deleted ones too: they are the
 * zone's history) after `afterId` into the lot, in ONE statement, locking them first. Answers
 * the ids moved, in order.
 */
export async function reconnectZonePage(trx: Kysely<DB>, clientId: number, lotId: number, zone: string, afterId: string, limit: number) {
  const { rows } = await sql<{ id: string }>`
    update pushed_permits p set lot_id = ${lotId}, disconnected = false, updated_at = now()
      from (
        select id from pushed_permits
         where client_id = ${clientId} and disconnected and lower(zone_name) = lower(${zone}) and id > ${afterId}
         order by id
         limit ${limit}
           for update
      ) picked
     where p.client_id = ${clientId} and p.id = picked.id
    returning p.id
  `.execute(trx);
  return rows.map((row) => row.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

/** One `permit.updated` event per pushed permit of `ids` (in id order), numbered from `firstSeq`. */
export async function insertPermitUpdatedEvents(trx: Kysely<DB>, clientId: number, ids: readonly string[], firstSeq: bigint): Promise<void> {
  await sql`
    insert into change_log (client_id, seq, type, object)
    select ${clientId}, ${String(firstSeq)}::bigint + row_number() over (order by p.id) - 1, 'permit.updated', ${PUSHED_PERMIT_EVENT}
      from pushed_permits p
     where p.client_id = ${clientId} and p.id = any(${ids}::bigint[])
  `.execute(trx);
}
