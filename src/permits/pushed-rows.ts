import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

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
