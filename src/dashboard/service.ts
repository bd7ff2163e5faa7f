import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { onlyRow } from '../db/database.js';
import { OVERDUE } from '../violations/repository.js';

/**
 * What the console's dashboard shows of one client, read in three statements: per lot its
 * capacity and the permits valid now (standard permits through their permit type's lot, pushed
 * permits through the lot their zone matched), the violations the next collections export
 * would send, and the disconnected records (live pushed permits whose zone named no lot).
 */
export async function dashboard(db: Kysely<DB>, clientId: number) {
  const lots = await sql<{ id: number; name: string; capacity: number; standard_permits: number; pushed_permits: number }>`
    select l.id, l.name, l.capacity,
      (select count(*) from permit_types t
         join standard_permits s on s.client_id = t.client_id and s.permit_type_id = t.id
        where t.client_id = l.client_id and t.lot_id = l.id
          and s.deleted_at is null and s.start_at <= now() and s.end_at > now())::int as standard_permits,
      (select count(*) from pushed_permits p
        where p.client_id = l.client_id and p.lot_id = l.id
          and p.deleted_at is null and p.start_at <= now() and p.end_at > now())::int as pushed_permits
    from lots l
    where l.client_id = ${clientId}
    order by l.id
  `.execute(db);
  const overdue = await sql<{ count: number }>`
    select count(*)::int as count from violations v where v.client_id = ${clientId} and ${sql.raw(OVERDUE)}
  `.execute(db);
  const disconnected = await sql<{ count: number }>`
    select count(*)::int as count from pushed_permits p where p.client_id = ${clientId} and p.disconnected and p.deleted_at is null
  `.execute(db);
  return {
    lots: lots.rows.map((lot) => ({ ...lot, valid_permits: lot.standard_permits + lot.pushed_permits })),
    overdue_violations: onlyRow(overdue).count,
    disconnected_permits: onlyRow(disconnected).count,
  };
}
