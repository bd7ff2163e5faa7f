import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { toPage } from '../admin/operation.js';
import { withChanges } from '../changes/log.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../core/errors.js';
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
  return withChanges(db, clientId, async (trx, emit) => {
    const entry = await trx
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
    emit({ type: 'dntt.created', object: entry });
    return entry;
  });
}

/**
 * Ends a DNTT entry now (its end becomes the present). Only an entry in effect can end: one that
 * has ended already, or has not started (its end would come before its start), is a conflict.
 */
export async function endDntt(db: Kysely<DB>, clientId: number, id: number) {
  return withChanges(db, clientId, async (trx, emit) => {
    const current = await trx
      .selectFrom('dntt_entries')
      .select(['start_at', 'end_at', sql<Date>`now()`.as('now')])
      .where('client_id', '=', clientId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (current === undefined) throw new NotFoundError(`no DNTT entry with id ${id}`, 'id');
    if (current.end_at <= current.now) throw new ConflictError(`the DNTT entry ended at ${current.end_at.toISOString()}`, 'id');
    if (current.start_at >= current.now)
      throw new ConflictError(`the DNTT entry starts at ${current.start_at.toISOString()}; it cannot end before it starts`, 'id');
    const entry = await trx
      .updateTable('dntt_entries')
      .set({ end_at: sql<Date>`now()` })
      .where('client_id', '=', clientId)
      .where('id', '=', id)
      .returning(dnttColumns)
      .executeTakeFirstOrThrow();
    emit({ type: 'dntt.ended', object: entry });
    return entry;
  });
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

/**
 * Sets (text) or clears (null) the alert of a vehicle or a user: plate validation's `alarm`.
 * Setting is `alarm.set` in the change log; clearing is `alarm.cleared` when there was an alert
 * to clear (clearing none changes nothing an integration follows).
 */
export async function setAlert(db: Kysely<DB>, clientId: number, table: 'vehicles' | 'users', id: number, text: string | null) {
  const value = text === null || text.trim() === '' ? null : text;
  const subject = table === 'vehicles' ? 'vehicle' : 'user';
  return withChanges(db, clientId, async (trx, emit) => {
    const before = await trx.selectFrom(table).select('alert').where('client_id', '=', clientId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (before === undefined) throw new NotFoundError(`no ${subject} with id ${id}`, 'id');
    const row = await trx
      .updateTable(table)
      .set({ alert: value, updated_at: new Date() })
      .where('client_id', '=', clientId)
      .where('id', '=', id)
      .returning(['id', 'alert', 'updated_at'])
      .executeTakeFirstOrThrow();
    if (value !== null || before.alert !== null) {
      emit({ type: value === null ? 'alarm.cleared' : 'alarm.set', object: { subject, id: row.id, alert: row.alert, updated_at: row.updated_at } });
    }
    return { id: row.id, alert: row.alert };
  });
}
