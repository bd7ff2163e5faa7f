import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { onlyRow } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Permit } from './schemas.js';

/** A permit as Genetec shows it, with the zone (lot id, as text) it belongs to. */
export type ZonedPermit = Static<typeof Permit> & { readonly ZoneId: string };

export interface PermitSelection {
  /** The zones (lot ids); null: every lot of the client. */
  readonly lotIds: readonly number[] | null;
  /** Normalised plates; null: every plate. */
  readonly plates: readonly string[] | null;
  /**
   * null: the permits valid now. A sequence number of the client's change log: the permits a
   * permit event after it names, as they are now (expired and deleted ones too).
   */
  readonly changedAfter: bigint | null;
}

export interface PermitSnapshot {
  /** The client's change counter when the permits were read (one snapshot). */
  readonly lastSeq: bigint;
  /** The newest sequence number the log has forgotten. */
  readonly prunedThrough: bigint;
  readonly permits: ZonedPermit[];
}

/** UTC, ISO-8601 with Z, to the second. */
const UTC = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

export async function listZones(db: Kysely<DB>, clientId: number) {
  return db.selectFrom('lots').select(['id', 'name']).where('client_id', '=', clientId).orderBy('id').execute();
}

export async function zoneExists(db: Kysely<DB>, clientId: number, lotId: number): Promise<boolean> {
  const row = await db.selectFrom('lots').select('id').where('client_id', '=', clientId).where('id', '=', lotId).executeTakeFirst();
  return row !== undefined;
}

/**
 * The selected permits of both kinds, one entry per plate (a standard permit covers its
 * vehicles' plates and its own), and the change counter, in ONE statement so that the counter
 * is exactly what the permits reflect. A pushed permit belongs to the lot its zone matched (a
 * disconnected one to none), a standard permit to its permit type's lot. A delete ends a permit
 * at its time: its Expiry is the earlier of its end and its deletion.
 */
export async function selectPermits(db: Kysely<DB>, clientId: number, selection: PermitSelection): Promise<PermitSnapshot> {
  const { lotIds, plates, changedAfter } = selection;
  const pushedLot = lotIds === null ? sql`pp.lot_id is not null` : sql`pp.lot_id = any(${lotIds})`;
  const standardLot = lotIds === null ? sql`true` : sql`pt.lot_id = any(${lotIds})`;
  const pushedPlate = plates === null ? sql`true` : sql`pp.plate_norm = any(${plates})`;
  const entryPlate = plates === null ? sql`true` : sql`plate_norm = any(${plates})`;
  const pushedWhich =
    changedAfter === null
      ? sql`pp.deleted_at is null and pp.start_at <= now() and pp.end_at > now()`
      : sql`pp.reference_id = any(array(select reference_id::uuid from changed where kind = 'pushed' and reference_id is not null))`;
  const standardWhich =
    changedAfter === null
      ? sql`sp.deleted_at is null and sp.start_at <= now() and sp.end_at > now()`
      : sql`sp.id = any(array(select id from changed where kind = 'standard' and id is not null))`;
  const { rows } = await sql<{ last_seq: string | null; pruned_through: string | null; permits: ZonedPermit[] }>`
    with changed as (
      select distinct e.object->>'kind' as kind, e.object->>'reference_id' as reference_id, (e.object->>'id')::integer as id
        from change_log e
       where ${changedAfter !== null} and e.client_id = ${clientId} and e.seq > ${String(changedAfter ?? 0n)}
         and e.type in ('permit.created', 'permit.updated', 'permit.deleted')
    ),
    standard as (
      select sp.id, sp.start_at, least(sp.end_at, coalesce(sp.deleted_at, 'infinity')) as expiry, pt.lot_id
        from standard_permits sp
        join permit_types pt on pt.client_id = sp.client_id and pt.id = sp.permit_type_id
       where sp.client_id = ${clientId} and ${standardLot} and ${standardWhich}
    ),
    -- A standard permit may name a plate twice (a vehicle's and its own): one entry each way is enough.
    standard_entry as (
      select s.lot_id, 'S' || s.id as permit_id, v.plate_norm, coalesce(province.code, '') as plate_state,
             coalesce(make.name, '') as make, coalesce(colour.name, '') as color, s.start_at, s.expiry
        from standard s
        join standard_permit_vehicles spv on spv.client_id = ${clientId} and spv.permit_id = s.id
        join vehicles v on v.client_id = ${clientId} and v.id = spv.vehicle_id
        left join lookups province on province.client_id = ${clientId} and province.kind = 'province' and province.id = v.province_id
        left join lookups make on make.client_id = ${clientId} and make.kind = 'make' and make.id = v.make_id
        left join lookups colour on colour.client_id = ${clientId} and colour.kind = 'colour' and colour.id = v.colour_id
      union
      select s.lot_id, 'S' || s.id, p.plate_norm, '', '', '', s.start_at, s.expiry
        from standard s
        join standard_permit_plates p on p.client_id = ${clientId} and p.permit_id = s.id
    ),
    entry as (
      select pp.lot_id, pp.reference_id::text as permit_id, pp.plate_norm, '' as plate_state, '' as make, '' as color,
             pp.start_at, least(pp.end_at, coalesce(pp.deleted_at, 'infinity')) as expiry
        from pushed_permits pp
       where pp.client_id = ${clientId} and ${pushedLot} and ${pushedPlate} and ${pushedWhich}
      union all
      select * from standard_entry where ${entryPlate}
    )
    select
      (select last_seq from change_counters where client_id = ${clientId}) as last_seq,
      (select pruned_through from change_counters where client_id = ${clientId}) as pruned_through,
      (select coalesce(json_agg(json_build_object(
                'Expiry', to_char(expiry at time zone 'UTC', ${sql.raw(UTC)}),
                'Activation', to_char(start_at at time zone 'UTC', ${sql.raw(UTC)}),
                'PermitId', permit_id, 'PlateNumber', plate_norm, 'PlateState', plate_state, 'Make', make, 'Color', color,
                'ZoneId', lot_id::text)
              order by lot_id, expiry, permit_id collate "C", plate_norm collate "C"), '[]'::json)
         from entry) as permits
  `.execute(db);
  const row = onlyRow({ rows });
  return { lastSeq: BigInt(row.last_seq ?? '0'), prunedThrough: BigInt(row.pruned_through ?? '0'), permits: row.permits };
}
