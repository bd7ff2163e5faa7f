import { sql, type Kysely } from 'kysely';
import { ApiError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import { onlyRow, preparedName } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { DnttFound, PermitFound } from './repository.js';
import { responseText, type PlateValidation } from './service.js';

/**
 * As-of plate validation (docs/enforcement.md#as-of-validation): what validation answered at a
 * past moment, and what today's records say was valid then. Kept apart from the validation of
 * the present, which answers from its own hot path.
 */

/** A permit whose validity covers the moment by today's records. */
export interface PermitValidAt extends PermitFound {
  /** Local time, like `expires`. */
  readonly start: string;
  /** When the permit was first recorded (local time). */
  readonly recorded_at: string;
  /** Whether the record on file at the moment already showed the plate covered (the permit is in `as_of`). */
  readonly known_then: boolean;
}

export interface AsOfValidation {
  readonly response: string;
  readonly plate: string;
  readonly responseJSON: {
    as_of: PlateValidation['responseJSON'];
    valid_at: PermitValidAt[];
  };
}

interface AsOfFindings {
  readonly permits: PermitFound[];
  readonly dntt: DnttFound[];
  readonly alarm: string | null;
  readonly valid_at: PermitValidAt[];
}

const LOCAL = 'YYYY-MM-DD HH24:MI:SS';

/**
 * One round trip. `as_of`: the pushed permit versions current at the moment (history, so later
 * updates and deletes do not count and later pushes are not seen), the standard permits and DNTT
 * entries recorded by then and in effect at the moment, and the alarm as it is now (alarms keep
 * no history). `valid_at`: the permits of today's records whose validity covers the moment, a
 * delete ending a permit's validity when it was made. `at` is local text read in `inputTimeZone`;
 * answers are formatted in `timeZone`.
 */
async function findPlateAsOf(db: Kysely<DB>, clientId: number, plateNorm: string, at: string, inputTimeZone: string, timeZone: string) {
  const result = await sql<AsOfFindings>`${sql.raw(preparedName('plate_validation_as_of'))}
    with moment as (
      select (${at}::timestamp at time zone ${inputTimeZone}) as at
    ),
    vehicle as (
      select id, alert from vehicles where client_id = ${clientId} and plate_norm = ${plateNorm}
    ),
    standard_ids as (
      select spv.permit_id from vehicle
        join standard_permit_vehicles spv on spv.client_id = ${clientId} and spv.vehicle_id = vehicle.id
      union
      select permit_id from standard_permit_plates where client_id = ${clientId} and plate_norm = ${plateNorm}
    ),
    standard as (
      select sp.id, sp.start_at, sp.end_at, sp.created_at, pt.short_name, sp.created_at <= moment.at as known_then
        from standard_ids
        cross join moment
        join standard_permits sp on sp.client_id = ${clientId} and sp.id = standard_ids.permit_id
        join permit_types pt on pt.client_id = ${clientId} and pt.id = sp.permit_type_id
       where sp.start_at <= moment.at and sp.end_at > moment.at and (sp.deleted_at is null or sp.deleted_at > moment.at)
    ),
    pushed_then as (
      select h.permit_id, h.end_at, i.origin as type, coalesce(nullif(h.zone_name, ''), h.permit_no, '') as short_name
        from moment
        join pushed_permit_history h on h.client_id = ${clientId} and h.plate_norm = ${plateNorm} and h.start_at <= moment.at
        join integrations i on i.client_id = ${clientId} and i.id = h.integration_id
       where h.end_at > moment.at and h.recorded_at <= moment.at and (h.superseded_at is null or h.superseded_at > moment.at)
    ),
    permit_then as (
      select end_at, 'standard'::text as type, short_name from standard where known_then
      union all
      select end_at, type, short_name from pushed_then
    ),
    permit_now as (
      select start_at, end_at, 'standard'::text as type, short_name, created_at, known_then from standard
      union all
      select pp.start_at, pp.end_at, i.origin, coalesce(nullif(pp.zone_name, ''), pp.permit_no, ''), pp.created_at,
             exists (select 1 from pushed_then where pushed_then.permit_id = pp.id)
        from moment
        join pushed_permits pp on pp.client_id = ${clientId} and pp.plate_norm = ${plateNorm} and pp.end_at > moment.at
        join integrations i on i.client_id = ${clientId} and i.id = pp.integration_id
       where pp.start_at <= moment.at and (pp.deleted_at is null or pp.deleted_at > moment.at)
    ),
    dntt as (
      select d.id, d.start_at, d.end_at, d.location, d.notes
        from moment
        join dntt_entries d on d.client_id = ${clientId} and d.plate_norm = ${plateNorm} and d.end_at > moment.at
       where d.start_at <= moment.at and d.created_at <= moment.at
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
              order by end_at, short_name, type), '[]'::json) from permit_then) as permits,
      (select coalesce(json_agg(json_build_object(
                'notes', notes, 'start', to_char(start_at at time zone ${timeZone}, ${LOCAL}), 'location', location,
                'end', to_char(end_at at time zone ${timeZone}, ${LOCAL}))
              order by start_at, id), '[]'::json) from dntt) as dntt,
      (select string_agg(text, E'\\n' order by first_seen) from distinct_alert) as alarm,
      (select coalesce(json_agg(json_build_object(
                'expires', to_char(end_at at time zone ${timeZone}, ${LOCAL}), 'type', type, 'shortName', short_name,
                'start', to_char(start_at at time zone ${timeZone}, ${LOCAL}),
                'recorded_at', to_char(created_at at time zone ${timeZone}, ${LOCAL}), 'known_then', known_then)
              order by end_at, short_name, type, created_at), '[]'::json) from permit_now) as valid_at
  `.execute(db);
  return onlyRow(result);
}

/**
 * Plate validation as of `at` (local `YYYY-MM-DDTHH:MM:SS`, already checked by the field
 * reader): `response` is the text validation printed then; `responseJSON.as_of` what it
 * answered then (the plain answer's keys), `responseJSON.valid_at` the permits covering `at` by
 * today's records.
 */
export async function validatePlateAsOf(
  db: Kysely<DB>,
  clientId: number,
  timeZones: { readonly input: string; readonly display: string },
  plate: string,
  at: string,
): Promise<AsOfValidation> {
  const plateNorm = normalisePlate(plate);
  if (plateNorm === '') throw new ApiError(9006, 'plate');
  const { permits, dntt, alarm, valid_at } = await findPlateAsOf(db, clientId, plateNorm, at, timeZones.input, timeZones.display);
  return {
    response: responseText(permits, alarm, dntt),
    plate: plateNorm,
    responseJSON: {
      as_of: {
        ...(permits.length > 0 ? { permits } : {}),
        ...(dntt.length > 0 ? { dntt } : {}),
        ...(alarm !== null ? { alarm } : {}),
        ...(dntt.length > 0 ? { active: '1' as const } : {}),
      },
      valid_at,
    },
  };
}
