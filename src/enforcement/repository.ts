import { sql, type Kysely } from 'kysely';
import { onlyRow } from '../db/database.js';
import type { DB } from '../db/schema.js';

/**
 * The enforcement index's reads (docs/enforcement.md#the-enforcement-index). Times come as
 * epoch milliseconds (float8, the microseconds kept as a fraction): cheaper to read than dates
 * and exact for the index's comparisons. Every read names what it loads for all clients at
 * once: the index is loaded whole at start.
 */

const ms = (column: string) => sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000)::float8`;

/** What the index reads on every catch-up pass: each client's last sequence number, and a fingerprint of the integrations' origins (which no event carries). */
export async function readCursors(db: Kysely<DB>) {
  return onlyRow(
    await sql<{ counters: Array<{ client_id: number; last_seq: string }>; origins: string }>`
      select coalesce((select json_agg(json_build_object('client_id', client_id, 'last_seq', last_seq::text)) from change_counters), '[]'::json) as counters,
             coalesce((select sum(hashtext(client_id || ':' || id || ':' || origin)::bigint) from integrations), 0)::text as origins
    `.execute(db),
  );
}

export function readOrigins(db: Kysely<DB>) {
  return db.selectFrom('integrations').select(['client_id', 'id', 'origin']).execute();
}

export function readVehicles(db: Kysely<DB>) {
  return db.selectFrom('vehicles').select(['client_id', 'id', 'plate_norm', 'alert']).orderBy('client_id').orderBy('id').execute();
}

export function readDrivers(db: Kysely<DB>) {
  return db.selectFrom('vehicle_drivers').select(['client_id', 'vehicle_id', 'user_id']).execute();
}

export function readUserAlerts(db: Kysely<DB>) {
  return db.selectFrom('users').select(['client_id', 'id', 'alert']).where('alert', 'is not', null).execute();
}

/** DNTT entries not ended at `now` (whenever they start: there are few). */
export function readDntt(db: Kysely<DB>, now: Date) {
  return db
    .selectFrom('dntt_entries')
    .select(['client_id', 'id', 'plate_norm', 'location', 'notes', ms('start_at').as('start_ms'), ms('end_at').as('end_ms')])
    .where('end_at', '>', now)
    .execute();
}

/** Permits not deleted, not ended at `now`, starting before `until` (and from `from`, when refilling). */
export interface PermitWindow {
  readonly now: Date;
  readonly until: Date;
  readonly from?: Date;
}

const PUSHED_PAGE = 50_000;

interface PushedRow {
  client_id: number;
  reference_id: string;
  plate_norm: string;
  integration_id: number;
  short_name: string;
  start_ms: number;
  end_ms: number;
}

/**
 * The pushed permits in the window, handed to `take` a page at a time through a cursor of the
 * transaction `trx`: one pass over the rows, whatever their number, and never all of them in
 * memory at once.
 */
export async function readPushedPages(trx: Kysely<DB>, window: PermitWindow, take: (page: PushedRow[]) => void): Promise<void> {
  await sql`
    declare pushed_window no scroll cursor for
    select client_id, reference_id::text, plate_norm, integration_id, coalesce(nullif(zone_name, ''), permit_no, '') as short_name,
           ${ms('start_at')} as start_ms, ${ms('end_at')} as end_ms
      from pushed_permits
     where deleted_at is null and end_at > ${window.now} and start_at < ${window.until}
       and (${window.from ?? null}::timestamptz is null or start_at >= ${window.from ?? null}::timestamptz)
  `.execute(trx);
  for (;;) {
    const { rows } = await sql<PushedRow>`fetch forward ${sql.raw(String(PUSHED_PAGE))} from pushed_window`.execute(trx);
    take(rows);
    if (rows.length < PUSHED_PAGE) break;
  }
  await sql`close pushed_window`.execute(trx);
}

/** Standard permits in the window with their permit type's short name, vehicles and plates. */
export function readStandard(db: Kysely<DB>, window: PermitWindow) {
  return db
    .selectFrom('standard_permits as s')
    .innerJoin('permit_types as t', (join) => join.onRef('t.client_id', '=', 's.client_id').onRef('t.id', '=', 's.permit_type_id'))
    .select([
      's.client_id',
      's.id',
      't.short_name',
      ms('s.start_at').as('start_ms'),
      ms('s.end_at').as('end_ms'),
      sql<number[]>`array(select v.vehicle_id from standard_permit_vehicles v where v.client_id = s.client_id and v.permit_id = s.id)`.as('vehicle_ids'),
      sql<string[]>`array(select p.plate_norm from standard_permit_plates p where p.client_id = s.client_id and p.permit_id = s.id)`.as('plate_norms'),
    ])
    .where('s.deleted_at', 'is', null)
    .where('s.end_at', '>', window.now)
    .where('s.start_at', '<', window.until)
    .$if(window.from !== undefined, (q) => q.where('s.start_at', '>=', window.from!))
    .execute();
}

export const EVENT_PAGE = 5_000;

/** The client's events after `afterSeq`, in order, at most EVENT_PAGE. */
export function readEvents(db: Kysely<DB>, clientId: number, afterSeq: number) {
  return db
    .selectFrom('change_log')
    .select(['seq', 'type', 'object'])
    .where('client_id', '=', clientId)
    .where('seq', '>', String(afterSeq))
    .orderBy('seq')
    .limit(EVENT_PAGE)
    .execute();
}
