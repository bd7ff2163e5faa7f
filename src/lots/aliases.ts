import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { toPage } from '../admin/operation.js';
import { withChanges } from '../changes/log.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { insertPermitUpdatedEvents, reconnectZonePage } from '../permits/repository.js';
import type { NewZoneAlias } from './schemas.js';
import { requireLot } from './service.js';
import { claimZoneName } from './zones.js';

/** Disconnected permits moved into the lot per statement when an alias is created. */
export const RECONNECT_PAGE_SIZE = 1000;

const aliasColumns = ['id', 'lot_id', 'name', 'created_at'] as const;

/**
 * Gives the lot another zone name (docs/lots.md#zone-aliases). In the same transaction, every
 * disconnected pushed permit whose zone is that name joins the lot (one `permit.updated` event
 * each, written page by page by the database), so it counts at once wherever the lot's permits
 * count. The name must be free among the client's lot names and aliases (409 otherwise).
 */
export async function createZoneAlias(db: Kysely<DB>, clientId: number, lotId: number, input: Static<typeof NewZoneAlias>) {
  const name = input.name.trim();
  if (name === '') throw new InvalidInputError('name: must not be empty', 'name');
  return withChanges(db, clientId, async (trx, emit) => {
    await requireLot(trx, clientId, lotId);
    await claimZoneName(trx, clientId, name, 'name');
    const alias = await trx.insertInto('zone_aliases').values({ client_id: clientId, lot_id: lotId, name }).returning(aliasColumns).executeTakeFirstOrThrow();
    let reconnected = 0;
    for (let afterId = '0'; ;) {
      const ids = await reconnectZonePage(trx, clientId, lotId, name, afterId, RECONNECT_PAGE_SIZE);
      const last = ids.at(-1);
      if (last === undefined) break;
      reconnected += ids.length;
      emit({ type: 'permit.updated', count: ids.length, write: (changeTrx, firstSeq) => insertPermitUpdatedEvents(changeTrx, clientId, ids, firstSeq) });
      if (ids.length < RECONNECT_PAGE_SIZE) break;
      afterId = last;
    }
    return { ...alias, reconnected_permits: reconnected };
  });
}

/** A lot's aliases by id (404 for a lot the client does not have). */
export async function listZoneAliases(db: Kysely<DB>, clientId: number, lotId: number, limit: number, cursor = 0) {
  await requireLot(db, clientId, lotId);
  const rows = await db
    .selectFrom('zone_aliases')
    .select(aliasColumns)
    .where('client_id', '=', clientId)
    .where('lot_id', '=', lotId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows.map((row) => ({ ...row, reconnected_permits: 0 })),
    limit,
  );
}

/**
 * Removes an alias: later pushes of that zone are disconnected again, but the permits it
 * already brought into the lot stay there (they were the lot's when they were counted and
 * reported, and an operator who wants them out can push corrections).
 */
export async function deleteZoneAlias(db: Kysely<DB>, clientId: number, lotId: number, aliasId: number) {
  const alias = await db
    .deleteFrom('zone_aliases')
    .where('client_id', '=', clientId)
    .where('lot_id', '=', lotId)
    .where('id', '=', aliasId)
    .returning(aliasColumns)
    .executeTakeFirst();
  if (alias === undefined) throw new NotFoundError(`lot ${lotId} has no zone alias with id ${aliasId}`, 'alias_id');
  return { ...alias, reconnected_permits: 0 };
}
