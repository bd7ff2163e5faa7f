import type { Kysely } from 'kysely';
import { clientCodeKey, readClient } from '../core/auth.js';
import { ConflictError, InvalidInputError, isUniqueViolation, NotFoundError } from '../core/errors.js';
import type { DB, OperatorRole } from '../db/schema.js';
import { toPage } from '../admin/operation.js';
import { CREDENTIAL_ACTORS } from './actions.js';
import { hashPassword } from './passwords.js';

export const ROLES: readonly OperatorRole[] = ['admin', 'officer', 'finance'];

/** Letters, digits and `.`, `_`, `-`, `@` (an e-mail address fits), starting with a letter or digit. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/** Usernames match in any case: `Admin` signs in as `admin`. */
export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

/** An operator as every answer shows one: never the password hash. */
function selectOperators(db: Kysely<DB>) {
  return db
    .selectFrom('operators as o')
    .leftJoin('clients as c', 'c.client_id', 'o.client_id')
    .select(['o.id', 'o.username', 'o.display_name', 'o.role', 'c.code as client_code', 'o.disabled', 'o.locked_until', 'o.created_at', 'o.updated_at']);
}

export type OperatorRecord = Awaited<ReturnType<ReturnType<typeof selectOperators>['executeTakeFirstOrThrow']>>;

async function clientIdOf(db: Kysely<DB>, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined || code === null) return code;
  const client = await readClient(db, 'code_key', clientCodeKey(code));
  if (client === undefined) throw new NotFoundError(`no client with code ${code}`, 'client');
  return client.clientId;
}

export interface NewOperator {
  readonly username: string;
  readonly display_name: string;
  readonly role: OperatorRole;
  /** The client's code; absent or null: an installation operator. */
  readonly client?: string | null | undefined;
  readonly password: string;
}

export async function createOperator(db: Kysely<DB>, input: NewOperator): Promise<OperatorRecord> {
  if (!USERNAME.test(input.username)) {
    throw new InvalidInputError('username must be 1-100 letters, digits, ".", "_", "-" or "@", starting with a letter or digit', 'username');
  }
  // the operator actions name these callers in the same column as usernames
  if (CREDENTIAL_ACTORS.some((actor) => actor === usernameKey(input.username))) {
    throw new InvalidInputError(`username ${input.username} is reserved`, 'username');
  }
  const clientId = await clientIdOf(db, input.client);
  // checked before the password is hashed, which is the costly part (the unique index still decides a race)
  const taken = await db.selectFrom('operators').select('id').where('username_key', '=', usernameKey(input.username)).executeTakeFirst();
  if (taken !== undefined) throw new ConflictError(`an operator named ${input.username} already exists`, 'username');
  try {
    const { id } = await db
      .insertInto('operators')
      .values({
        username: input.username,
        username_key: usernameKey(input.username),
        display_name: input.display_name,
        role: input.role,
        client_id: clientId ?? null,
        password_hash: await hashPassword(input.password),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return await selectOperators(db).where('o.id', '=', id).executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`an operator named ${input.username} already exists`, 'username');
    throw error;
  }
}

export async function listOperators(db: Kysely<DB>, limit: number, cursor = 0) {
  const rows = await selectOperators(db)
    .where('o.id', '>', cursor)
    .orderBy('o.id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit);
}

export async function showOperator(db: Kysely<DB>, username: string): Promise<OperatorRecord> {
  const operator = await selectOperators(db).where('o.username_key', '=', usernameKey(username)).executeTakeFirst();
  if (operator === undefined) throw new NotFoundError(`no operator named ${username}`, 'username');
  return operator;
}

export interface OperatorChanges {
  readonly display_name?: string | undefined;
  readonly role?: OperatorRole | undefined;
  /** A client's code, or null to make the operator an installation operator. */
  readonly client?: string | null | undefined;
}

/** Changes the fields given; the operator's sessions see the change at their next request. */
export async function updateOperator(db: Kysely<DB>, username: string, changes: OperatorChanges): Promise<OperatorRecord> {
  const { id } = await showOperator(db, username);
  const clientId = await clientIdOf(db, changes.client);
  await db
    .updateTable('operators')
    .set({
      ...(changes.display_name === undefined ? {} : { display_name: changes.display_name }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(clientId === undefined ? {} : { client_id: clientId }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  return showOperator(db, username);
}

/** A disabled operator cannot sign in, and its sessions end now. */
export async function disableOperator(db: Kysely<DB>, username: string): Promise<OperatorRecord> {
  const { id } = await showOperator(db, username);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('operators').set({ disabled: true, updated_at: new Date() }).where('id', '=', id).execute();
    await trx.deleteFrom('operator_sessions').where('operator_id', '=', id).execute();
  });
  return showOperator(db, username);
}

/** Enabling also lifts a lockout and forgets the failed sign-ins. */
export async function enableOperator(db: Kysely<DB>, username: string): Promise<OperatorRecord> {
  const { id } = await showOperator(db, username);
  await db.updateTable('operators').set({ disabled: false, failed_sign_ins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', id).execute();
  return showOperator(db, username);
}

/**
 * A new password ends every session of the operator (whoever held the old one is signed out)
 * and lifts a lockout.
 */
export async function setOperatorPassword(db: Kysely<DB>, username: string, password: string): Promise<OperatorRecord> {
  const { id } = await showOperator(db, username);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('operators')
      .set({ password_hash: passwordHash, failed_sign_ins: 0, locked_until: null, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('operator_sessions').where('operator_id', '=', id).execute();
  });
  return showOperator(db, username);
}
