import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { withChanges } from '../changes/log.js';
import { moneyText } from '../core/money.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { toPage } from '../admin/operation.js';
import type { LotChanges, NewLot } from './schemas.js';
import { claimZoneName } from './zones.js';

export const LOT_TYPES = ['Y', 'M', 'S', 'O'] as const;

const lotColumns = ['id', 'name', 'lot_type', 'default_cost', 'capacity', 'tax_rate1', 'tax_rate2', 'created_at'] as const;

/** The operator's lot name: trimmed (zones are matched trimmed), 1-200 characters. */
function lotName(text: string): string {
  const name = text.trim();
  if (name === '' || name.length > 200) throw new InvalidInputError('name must be 1-200 characters', 'name');
  return name;
}

function lotType(text: string): string {
  const type = text.toUpperCase();
  if (!(LOT_TYPES as readonly string[]).includes(type)) throw new InvalidInputError('lot_type must be Y, M, S or O', 'lot_type');
  return type;
}

export async function createLot(db: Kysely<DB>, clientId: number, input: Static<typeof NewLot>) {
  const name = lotName(input.name);
  const type = lotType(input.lot_type);
  const defaultCost = input.default_cost === undefined ? '0' : moneyText(input.default_cost, 'default_cost');
  return withChanges(db, clientId, async (trx, emit) => {
    await claimZoneName(trx, clientId, name, 'name');
    const lot = await trx
      .insertInto('lots')
      .values({
        client_id: clientId,
        name,
        lot_type: type,
        default_cost: defaultCost,
        capacity: input.capacity ?? 0,
        tax_rate1: input.tax_rate1 ?? 0,
        tax_rate2: input.tax_rate2 ?? 0,
      })
      .returning(lotColumns)
      .executeTakeFirstOrThrow();
    emit({ type: 'lot.created', object: lot });
    return lot;
  });
}

const CHANGEABLE = ['name', 'lot_type', 'default_cost', 'capacity', 'tax_rate1', 'tax_rate2'] as const;

/**
 * Changes the given attributes of a lot (`lot.updated`). A new name must be free among the
 * client's lot names and zone aliases; permits already in the lot stay there (they hold the lot,
 * not its name), while later pushes must name the new name or an alias.
 */
export async function updateLot(db: Kysely<DB>, clientId: number, lotId: number, input: Static<typeof LotChanges>) {
  if (CHANGEABLE.every((key) => input[key] === undefined)) {
    throw new InvalidInputError(`give at least one of ${CHANGEABLE.join(', ')}`);
  }
  const name = input.name === undefined ? undefined : lotName(input.name);
  const type = input.lot_type === undefined ? undefined : lotType(input.lot_type);
  const defaultCost = input.default_cost === undefined ? undefined : moneyText(input.default_cost, 'default_cost');
  return withChanges(db, clientId, async (trx, emit) => {
    if (name !== undefined) await claimZoneName(trx, clientId, name, 'name', lotId);
    const lot = await trx
      .updateTable('lots')
      .set({
        ...(name === undefined ? {} : { name }),
        ...(type === undefined ? {} : { lot_type: type }),
        ...(defaultCost === undefined ? {} : { default_cost: defaultCost }),
        ...(input.capacity === undefined ? {} : { capacity: input.capacity }),
        ...(input.tax_rate1 === undefined ? {} : { tax_rate1: input.tax_rate1 }),
        ...(input.tax_rate2 === undefined ? {} : { tax_rate2: input.tax_rate2 }),
      })
      .where('client_id', '=', clientId)
      .where('id', '=', lotId)
      .returning(lotColumns)
      .executeTakeFirst();
    if (lot === undefined) throw new NotFoundError(`no lot with id ${lotId}`, 'id');
    emit({ type: 'lot.updated', object: lot });
    return lot;
  });
}

export async function listLots(db: Kysely<DB>, clientId: number, limit: number, cursor = 0) {
  const rows = await db
    .selectFrom('lots')
    .select(lotColumns)
    .where('client_id', '=', clientId)
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

/** The client's lot, inside the caller's transaction when there is one (404 otherwise). */
export async function requireLot(db: Kysely<DB>, clientId: number, lotId: number) {
  const lot = await db.selectFrom('lots').select(['id', 'name']).where('client_id', '=', clientId).where('id', '=', lotId).executeTakeFirst();
  if (lot === undefined) throw new NotFoundError(`no lot with id ${lotId}`, 'id');
  return lot;
}
