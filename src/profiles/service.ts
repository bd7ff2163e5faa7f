import type { Static } from '@sinclair/typebox';
import { sql, type Kysely, type Transaction } from 'kysely';
import { toPage } from '../admin/operation.js';
import { withChanges } from '../changes/log.js';
import { ApiError, isUniqueViolation, NotFoundError, ConflictError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import type { ListOptions } from '../admin/schemas.js';
import type { ProfileInput } from './fields.js';
import type { UserListQuery } from './schemas.js';

/** What each unique index of users means to an integration. */
const UNIQUE_CONSTRAINTS = [
  ['users_email_key', 9019, 'email'],
  ['users_user_name_key', 9020, 'user_name'],
] as const;

/** The configured spelling of a login source, matched case-insensitively (9015 when the client has none such). */
async function loginSourceOf(trx: Transaction<DB>, clientId: number, name: string): Promise<string> {
  const row = await trx
    .selectFrom('login_sources')
    .select('name')
    .where('client_id', '=', clientId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (row === undefined) throw new ApiError(9015, 'login_source');
  return row.name;
}

async function checkTypes(trx: Transaction<DB>, clientId: number, input: ProfileInput): Promise<void> {
  const { user_type_id: userType, locker_user_type_id: lockerType } = input.values;
  if (userType !== undefined) {
    const found = await trx.selectFrom('user_types').select('id').where('client_id', '=', clientId).where('id', '=', userType).executeTakeFirst();
    if (found === undefined) throw new ApiError(9033, input.fieldNames.user_type_id);
  }
  if (lockerType !== undefined) {
    const found = await trx.selectFrom('locker_user_types').select('id').where('client_id', '=', clientId).where('id', '=', lockerType).executeTakeFirst();
    if (found === undefined) throw new ApiError(9033, input.fieldNames.locker_user_type_id);
  }
}

/** 9019 / 9020 when another user of the client holds the email (any case) or the user name. */
async function checkUnique(trx: Transaction<DB>, clientId: number, input: ProfileInput, selfId: number | undefined): Promise<void> {
  const { email, user_name: userName } = input.values;
  if (email !== undefined) {
    const holder = await trx
      .selectFrom('users')
      .select('id')
      .where('client_id', '=', clientId)
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .$if(selfId !== undefined, (q) => q.where('id', '<>', selfId!))
      .executeTakeFirst();
    if (holder !== undefined) throw new ApiError(9019, 'email');
  }
  if (userName !== undefined) {
    const holder = await trx
      .selectFrom('users')
      .select('id')
      .where('client_id', '=', clientId)
      .where('user_name', '=', userName)
      .$if(selfId !== undefined, (q) => q.where('id', '<>', selfId!))
      .executeTakeFirst();
    if (holder !== undefined) throw new ApiError(9020, 'user_name');
  }
}

async function writeProfile(db: Kysely<DB>, clientId: number, input: ProfileInput, mode: 'push' | 'create'): Promise<number> {
  // The checks take a transaction's handle; the changes are written in that transaction.
  return db.transaction().execute((trx) =>
    withChanges(trx, clientId, async (_sameTrx, emit) => {
      const loginSource = await loginSourceOf(trx, clientId, input.loginSource);
      // Pushes of one profile queue here, so the second of two concurrent creates sees the first
      // committed and becomes its update, instead of tripping over its email.
      await sql`select pg_advisory_xact_lock(${clientId}, hashtext(${`${loginSource.toLowerCase()}\n${input.uniqueId}`}))`.execute(trx);
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where('client_id', '=', clientId)
        .where(sql`lower(login_source)`, '=', loginSource.toLowerCase())
        .where('unique_id', '=', input.uniqueId)
        .executeTakeFirst();
      if (existing !== undefined && mode === 'create') {
        throw new ConflictError(`a user with unique_id ${input.uniqueId} and login source ${loginSource} already exists (id ${existing.id})`, 'unique_id');
      }
      const values = input.values;
      if (existing === undefined) {
        if (values.email === undefined) throw new ApiError(9016, 'email');
        if (values.first_name === undefined) throw new ApiError(9017, 'first_name');
        if (values.last_name === undefined) throw new ApiError(9018, 'last_name');
      }
      await checkTypes(trx, clientId, input);
      await checkUnique(trx, clientId, input, existing?.id);
      if (existing !== undefined) {
        await trx
          .updateTable('users')
          .set({ ...values, updated_at: sql<Date>`now()` })
          .where('client_id', '=', clientId)
          .where('id', '=', existing.id)
          .execute();
        emit({ type: 'user.updated', object: await userQuery(trx, clientId).where('u.id', '=', existing.id).executeTakeFirstOrThrow() });
        return existing.id;
      }
      const created = await trx
        .insertInto('users')
        .values({ ...values, client_id: clientId, unique_id: input.uniqueId, login_source: loginSource })
        .returning('id')
        .executeTakeFirstOrThrow();
      emit({ type: 'user.created', object: await userQuery(trx, clientId).where('u.id', '=', created.id).executeTakeFirstOrThrow() });
      return created.id;
    }),
  );
}

/**
 * Creates the user keyed by (unique_id, login source), or changes only the given attributes of
 * the one on file (`push`); `create` refuses an existing key (the operator's create). The
 * unique indexes decide races: a write that loses one is run once more against what the winner
 * committed, where a concurrent create of the same key becomes the update it now is, and an
 * email or user name now held by another user is 9019 / 9020 (by the index's name should a
 * third writer win again).
 */
export async function saveProfile(db: Kysely<DB>, clientId: number, input: ProfileInput, mode: 'push' | 'create'): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeProfile(db, clientId, input, mode);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt === 1) continue;
      for (const [constraint, code, field] of UNIQUE_CONSTRAINTS) {
        if (isUniqueViolation(error, constraint)) throw new ApiError(code, field);
      }
      if (isUniqueViolation(error, 'users_identity_key')) throw new ConflictError(`a user with unique_id ${input.uniqueId} already exists`, 'unique_id');
      throw error;
    }
  }
}

/** The profile columns an operator and the change log see: named, so that no secret ever joins them. */
const userColumns = [
  'id',
  'unique_id',
  'login_source',
  'first_name',
  'last_name',
  'user_name',
  'email',
  'street',
  'city',
  'province',
  'postal_code',
  'street2',
  'city2',
  'province2',
  'postal_code2',
  'phone_cell',
  'user_type_id',
  'employ_no',
  'employee_phone',
  'student_no',
  'student_phone',
  'driver_licence_num',
  'driver_licence_prov',
  'date_of_birth',
  'locker_user_type_id',
  'alert',
  'created_at',
  'updated_at',
] as const;

function userQuery(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('users as u')
    .where('u.client_id', '=', clientId)
    .select(userColumns.map((column) => `u.${column}` as const))
    .select(
      sql<
        number[]
      >`coalesce((select array_agg(d.vehicle_id order by d.vehicle_id) from vehicle_drivers d where d.client_id = u.client_id and d.user_id = u.id), '{}')`.as(
        'vehicle_ids',
      ),
    );
}

export async function showUser(db: Kysely<DB>, clientId: number, userId: number) {
  const row = await userQuery(db, clientId).where('u.id', '=', userId).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no user ${userId} for this client`, 'id');
  return row;
}

/**
 * Users whose first name, last name or "first last" starts with `text`, in any case: a name
 * that starts with it makes "first last" start with it too, so two prefix matches, each served
 * by its own index (010_token_rotation.sql). LIKE's wildcards in the text match themselves.
 */
function namePrefix(text: string) {
  const pattern = `${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return sql<boolean>`(lower(u.last_name) like ${pattern} or lower(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')) like ${pattern})`;
}

export async function listUsers(db: Kysely<DB>, clientId: number, options: ListOptions<Static<typeof UserListQuery>>) {
  const rows = await userQuery(db, clientId)
    .where('u.id', '>', options.cursor ?? 0)
    .$if(options.email !== undefined, (q) => q.where(sql`lower(u.email)`, '=', options.email!.toLowerCase()))
    .$if(options.name !== undefined, (q) => q.where(namePrefix(options.name!)))
    .$if(options.unique_id !== undefined, (q) => q.where('u.unique_id', '=', options.unique_id!))
    .orderBy('u.id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit);
}
