import { sql, type Kysely } from 'kysely';
import { onlyRow, preparedName } from '../db/database.js';
import type { DB } from '../db/schema.js';

export interface PermitFound {
  readonly expires: string;
  readonly type: string;
  readonly shortName: string;
}

export interface DnttFound {
  readonly notes: string;
  readonly start: string;
  readonly location: string;
  readonly end: string;
}

export interface PlateFindings {
  readonly permits: PermitFound[];
  readonly dntt: DnttFound[];
  readonly alarm: string | null;
}

const LOCAL = 'YYYY-MM-DD HH24:MI:SS';

/**
 * Everything plate validation answers, in ONE round trip (handhelds and LPR cameras call this
 * for every plate they see): permits valid now of both kinds, DNTT entries valid now, and the
 * alerts of the vehicles with the plate and of their drivers. Times are formatted in `timeZone`.
 * Each branch starts from an index on (client_id, plate_norm): vehicles_plate_key,
 * standard_permit_plates_plate, pushed_permits_plate, dntt_entries_plate; then primary keys.
 * Names are ordered by code point (collation "C") whatever the database's default, as the
 * enforcement index orders them.
 */
export async function findPlate(db: Kysely<DB>, clientId: number, plateNorm: string, timeZone: string, at?: Date): Promise<PlateFindings> {
  // `at`: the answer as of that instant (the index's property test); the database's now() otherwise.
  const now = sql`coalesce(${at ?? null}::timestamptz, now())`;
  const result = await sql<{ permits: PermitFound[]; dntt: DnttFound[]; alarm: string | null }>`${sql.raw(preparedName('plate_validation'))}
    with vehicle as (
      select id, alert from vehicles where client_id = ${clientId} and plate_norm = ${plateNorm}
    ),
    standard_ids as (
      select spv.permit_id from vehicle
        join standard_permit_vehicles spv on spv.client_id = ${clientId} and spv.vehicle_id = vehicle.id
      union
      select permit_id from standard_permit_plates where client_id = ${clientId} and plate_norm = ${plateNorm}
    ),
    permit as (
      select sp.end_at, 'standard'::text as type, pt.short_name
        from standard_ids
        join standard_permits sp on sp.client_id = ${clientId} and sp.id = standard_ids.permit_id
        join permit_types pt on pt.client_id = ${clientId} and pt.id = sp.permit_type_id
       where sp.deleted_at is null and sp.start_at <= ${now} and sp.end_at > ${now}
      union all
      select pp.end_at, i.origin, coalesce(nullif(pp.zone_name, ''), pp.permit_no, '')
        from pushed_permits pp
        join integrations i on i.client_id = ${clientId} and i.id = pp.integration_id
       where pp.client_id = ${clientId} and pp.plate_norm = ${plateNorm}
         and pp.deleted_at is null and pp.start_at <= ${now} and pp.end_at > ${now}
    ),
    dntt as (
      select id, start_at, end_at, location, notes from dntt_entries
       where client_id = ${clientId} and plate_norm = ${plateNorm} and end_at > ${now} and start_at <= ${now}
    ),
    alert as (
      select vehicle.alert as text, 0 as rank, vehicle.id as vehicle_id, 0 as user_id from vehicle
      union all
      select u.alert, 1, vd.vehicle_id, u.id from vehicle
        join vehicle_drivers vd on vd.client_id = ${clientId} and vd.vehicle_id = vehicle.id
        join users u on u.client_id = ${clientId} and u.id = vd.user_id
    ),
    distinct_alert as (
      select text, min(array[rank, vehicle_id, user_id]) as first_seen from alert
       where text is not null and btrim(text) <> '' group by text
    )
    select
      (select coalesce(json_agg(json_build_object(
                'expires', to_char(end_at at time zone ${timeZone}, ${LOCAL}), 'type', type, 'shortName', short_name)
              order by end_at, short_name collate "C", type collate "C"), '[]'::json) from permit) as permits,
      (select coalesce(json_agg(json_build_object(
                'notes', notes, 'start', to_char(start_at at time zone ${timeZone}, ${LOCAL}), 'location', location,
                'end', to_char(end_at at time zone ${timeZone}, ${LOCAL}))
              order by start_at, id), '[]'::json) from dntt) as dntt,
      (select string_agg(text, E'\\n' order by first_seen) from distinct_alert) as alarm
  `.execute(db);
  return onlyRow(result);
}
