import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { withChanges } from '../changes/log.js';
import { moneyText } from '../core/money.js';
import { isUniqueViolation, InvalidInputError, ConflictError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { toPage } from '../admin/operation.js';
import type { NewLot } from './schemas.js';

export const LOT_TYPES = ['Y', 'M', 'S', 'O'] as const;

const lotColumns = ['id', 'name', 'lot_type', 'default_cost', 'capacity', 'tax_rate1', 'tax_rate2', 'created_at'] as const;

export async function createLot(db: Kysely<DB>, clientId: number, input: Static<typeof NewLot>) {
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw new InvalidInputError('name must be 1-200 characters', 'name');
  const lotType = input.lot_type.toUpperCase();
  if (!(LOT_TYPES as readonly string[]).includes(lotType)) throw new InvalidInputError('lot_type must be Y, M, S or O', 'lot_type');
  const defaultCost = input.default_cost === undefined ? '0' : moneyText(input.default_cost, 'default_cost');
  try {
    return await withChanges(db, clientId, async (trx, emit) => {
      const lot = await trx
        .insertInto('lots')
        .values({
          client_id: clientId,
          name,
          lot_type: lotType,
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
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`a lot named ${name} already exists`, 'name');
    throw error;
  }
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
