import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ConflictError } from '../core/errors.js';
import type { DB } from '../db/schema.js';

/**
 * The one rule by which a zone names a lot, for every place the integration API reads a zone
 * (permits/push, stats' `zones`, and so lot values and the dashboard through the stored lot):
 * the zone, trimmed by the reader, equals a lot's name or one of its zone aliases, compared
 * case-insensitively. Lot names and aliases are one name space per client (claimZoneName), so
 * at most one lot answers. `zone` is an SQL expression (a parameter or a column).
 */
export function zoneLotId(clientId: number, zone: RawBuilder<unknown>): RawBuilder<number | null> {
  return sql<number | null>`(
    select id from lots where client_id = ${clientId} and lower(name) = lower(${zone})
    union all
    select lot_id from zone_aliases where client_id = ${clientId} and lower(name) = lower(${zone})
    limit 1)`;
}

/**
 * Makes sure `name` is free as a zone name of the client (no other lot and no alias answers to
 * it), inside the caller's transaction. Lot names and aliases live in two tables, so each
 * table's unique index cannot see the other: writers of a client's zone names take one
 * transaction-scoped advisory lock first, and the check and the write that follows are
 * therefore never interleaved with another writer's. `lotId` is the lot being renamed (its own
 * name is no conflict).
 */
export async function claimZoneName(trx: Kysely<DB>, clientId: number, name: string, field: string, lotId?: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ZONE_NAMES_LOCK}, ${clientId})`.execute(trx);
  const { rows } = await sql<{ owner: 'lot' | 'alias'; lot: string }>`
    select 'lot' as owner, name as lot from lots
     where client_id = ${clientId} and lower(name) = lower(${name}) and id is distinct from ${lotId ?? null}::integer
    union all
    select 'alias' as owner, l.name as lot from zone_aliases a join lots l on l.client_id = a.client_id and l.id = a.lot_id
     where a.client_id = ${clientId} and lower(a.name) = lower(${name})
    limit 1
  `.execute(trx);
  const taken = rows[0];
  if (taken === undefined) return;
  throw new ConflictError(taken.owner === 'lot' ? `a lot named ${taken.lot} already exists` : `${name} is already a zone alias of the lot ${taken.lot}`, field);
}

/** The advisory lock's first key: the zone names of one client (the second key). */
const ZONE_NAMES_LOCK = 7_316_201;
