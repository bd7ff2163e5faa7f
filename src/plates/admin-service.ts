import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { toPage } from '../admin/operation.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import type { NewDntt } from './schemas.js';

const dnttColumns = ['id', 'plate', 'plate_norm', 'location', 'start_at', 'end_at', 'notes', 'created_at'] as const;

/** A do-not-ticket-or-tow entry; a blank location covers every location. */
export async function createDntt(db: Kysely<DB>, clientId: number, input: Static<typeof NewDntt>) {
  const plate = input.plate.trim();
  const plateNorm = normalisePlate(plate);
  if (plateNorm === '' || plate.length > 50) throw new InvalidInputError('plate must be 1-50 characters', 'plate');
  const start = new Date(input.start);
  const end = new Date(input.end);
  if (Number.isNaN(start.getTime())) throw new InvalidInputError('start is not a valid time', 'start');
  if (Number.isNaN(end.getTime())) throw new InvalidInputError('end is not a valid time', 'end');
  if (end <= start) throw new InvalidInputError('end must be after start', 'end');
  return db
    .insertInto('dntt_entries')
    .values({
      client_id: clientId,
      plate,
      plate_norm: plateNorm,
      location: (input.location ?? '').trim(),
      start_at: start,
      end_at: end,
      notes: input.notes ?? '',
    })
    .returning(dnttColumns)
    .executeTakeFirstOrThrow();
}

export async function listDntt(db: Kysely<DB>, clientId: number, limit: number, cursor = 0, plate?: string) {
  let query = db.selectFrom('dntt_entries').select(dnttColumns).where('client_id', '=', clientId).where('id', '>', cursor);
  if (plate !== undefined) query = query.where('plate_norm', '=', normalisePlate(plate));
  return toPage(
    await query
      .orderBy('id')
      .limit(limit + 1)
      .execute(),
    limit,
  );
}

/** Sets (text) or clears (null) the alert of a vehicle or a user: plate validation's `alarm`. */
export async function setAlert(db: Kysely<DB>, clientId: number, table: 'vehicles' | 'users', id: number, text: string | null) {
  const value = text === null || text.trim() === '' ? null : text;
  const row = await db
    .updateTable(table)
    .set({ alert: value, updated_at: new Date() })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .returning(['id', 'alert'])
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no ${table === 'vehicles' ? 'vehicle' : 'user'} with id ${id}`, 'id');
  return row;
}
