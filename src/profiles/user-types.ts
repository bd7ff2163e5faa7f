import type { Static } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { InvalidInputError, ConflictError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import type { NewLockerUserType, NewUserType } from './schemas.js';

/**
 * User types and locker user types keep the client's own ids (the seed's 1, 6-13): an id may
 * be given, else the next one after the highest is taken.
 */
export async function createUserType(db: Kysely<DB>, clientId: number, input: Static<typeof NewUserType>) {
  const typeName = input.type_name.trim();
  if (typeName === '' || typeName.length > 100) throw new InvalidInputError('type_name must be 1-100 characters', 'type_name');
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7316002, ${clientId})`.execute(trx);
    const id = input.id ?? (await nextId(trx, 'user_types', clientId));
    const taken = await trx.selectFrom('user_types').select('id').where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
    if (taken) throw new ConflictError(`user type ${id} already exists`, 'id');
    return trx
      .insertInto('user_types')
      .values({ client_id: clientId, id, type_name: typeName, ext_info: input.ext_info?.trim() ?? '' })
      .returning(['id', 'type_name', 'ext_info'])
      .executeTakeFirstOrThrow();
  });
}

export async function createLockerUserType(db: Kysely<DB>, clientId: number, input: Static<typeof NewLockerUserType>) {
  const typeName = input.type_name.trim();
  if (typeName === '' || typeName.length > 100) throw new InvalidInputError('type_name must be 1-100 characters', 'type_name');
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7316003, ${clientId})`.execute(trx);
    const id = input.id ?? (await nextId(trx, 'locker_user_types', clientId));
    const taken = await trx.selectFrom('locker_user_types').select('id').where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
    if (taken) throw new ConflictError(`locker user type ${id} already exists`, 'id');
    return trx
      .insertInto('locker_user_types')
      .values({ client_id: clientId, id, type_name: typeName })
      .returning(['id', 'type_name'])
      .executeTakeFirstOrThrow();
  });
}

async function nextId(db: Kysely<DB>, table: 'user_types' | 'locker_user_types', clientId: number): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`coalesce(max(id), 0) + 1`.as('next'))
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  return row.next;
}

export function listUserTypes(db: Kysely<DB>, clientId: number) {
  return db.selectFrom('user_types').select(['id', 'type_name', 'ext_info']).where('client_id', '=', clientId).orderBy('id').execute();
}

export function listLockerUserTypes(db: Kysely<DB>, clientId: number) {
  return db.selectFrom('locker_user_types').select(['id', 'type_name']).where('client_id', '=', clientId).orderBy('id').execute();
}
