import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB, OperatorRole } from '../db/schema.js';
import { unknownAccountHash, verifyPassword } from './passwords.js';
import { usernameKey } from './service.js';

/** Wrong passwords in a row that lock an account, and for how long. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 15;
/** A session ends this long after it began, however active. */
export const SESSION_MAX_HOURS = 12;
export const DEFAULT_SESSION_IDLE_MINUTES = 30;

const MINUTE_MS = 60_000;

/** The operator behind a session, read afresh at every request. */
export interface SessionOperator {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: OperatorRole;
  /** null: an installation operator. */
  readonly clientId: number | null;
  readonly clientCode: string | null;
}

export interface Session {
  readonly operator: SessionOperator;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** Why a sign-in was refused: `wrong` (unknown name, wrong password or disabled: one answer) or `locked`. */
export class SignInRefused extends Error {
  constructor(
    readonly reason: 'wrong' | 'locked',
    readonly lockedUntil?: Date,
  ) {
    super(reason === 'locked' ? 'the account is locked' : 'wrong username or password');
    this.name = 'SignInRefused';
  }
}

/** The session id only lives in the operator's cookie; the database keeps its SHA-256. */
function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** A session id: 32 random bytes (256 bits), base64url. */
const newSecret = () => randomBytes(32).toString('base64url');

function expiry(createdAt: Date, lastSeenAt: Date, idleMinutes: number): Date {
  return new Date(Math.min(lastSeenAt.getTime() + idleMinutes * MINUTE_MS, createdAt.getTime() + SESSION_MAX_HOURS * 60 * MINUTE_MS));
}

function selectSessionOperators(db: Kysely<DB>) {
  return db
    .selectFrom('operators as o')
    .leftJoin('clients as c', 'c.client_id', 'o.client_id')
    .select(['o.id', 'o.username', 'o.display_name', 'o.role', 'o.client_id', 'c.code as client_code', 'o.disabled']);
}

function toSessionOperator(row: Awaited<ReturnType<ReturnType<typeof selectSessionOperators>['executeTakeFirstOrThrow']>>): SessionOperator {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, clientId: row.client_id, clientCode: row.client_code };
}

export class OperatorSessions {
  constructor(
    private readonly db: Kysely<DB>,
    readonly idleMinutes: number,
  ) {}

  /**
   * Checks the password and opens a session. An unknown username costs the same password check
   * as a known one. Each wrong password of an account counts; the MAX_FAILED_SIGN_INS-th in a row
   * locks it for LOCK_MINUTES, during which even the right password is refused.
   */
  async signIn(username: string, password: string, now = new Date()): Promise<Session & { sessionId: string }> {
    const account = await selectSessionOperators(this.db)
      .select(['o.password_hash', 'o.locked_until'])
      .where('o.username_key', '=', usernameKey(username))
      .executeTakeFirst();
    if (account === undefined) {
      await verifyPassword(password, await unknownAccountHash());
      throw new SignInRefused('wrong');
    }
    if (account.locked_until !== null && account.locked_until > now) throw new SignInRefused('locked', account.locked_until);
    const rightPassword = await verifyPassword(password, account.password_hash);
    if (account.disabled) throw new SignInRefused('wrong');
    if (!rightPassword) {
      await this.countFailure(account.id, now);
      throw new SignInRefused('wrong');
    }
    const sessionId = newSecret();
    const csrfToken = newSecret();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('operators').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', account.id).execute();
      await trx
        .insertInto('operator_sessions')
        .values({ id_hash: hashSessionId(sessionId), operator_id: account.id, csrf_token: csrfToken, created_at: now, last_seen_at: now })
        .execute();
      // Housekeeping: sessions that can no longer be used are not kept.
      await trx
        .deleteFrom('operator_sessions')
        .where((where) =>
          where.or([
            where('last_seen_at', '<', new Date(now.getTime() - this.idleMinutes * MINUTE_MS)),
            where('created_at', '<', new Date(now.getTime() - SESSION_MAX_HOURS * 60 * MINUTE_MS)),
          ]),
        )
        .execute();
    });
    return { sessionId, operator: toSessionOperator(account), csrfToken, expiresAt: expiry(now, now, this.idleMinutes) };
  }

  /** One more wrong password, in one statement so that concurrent attempts all count. */
  private async countFailure(operatorId: number, now: Date): Promise<void> {
    const lockedUntil = new Date(now.getTime() + LOCK_MINUTES * MINUTE_MS);
    const locks = sql<boolean>`failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS}`;
    await this.db
      .updateTable('operators')
      .set({
        // the count starts over once the lock is set, so the lock's end gives five more tries
        failed_sign_ins: sql<number>`case when ${locks} then 0 else failed_sign_ins + 1 end`,
        locked_until: sql<Date | null>`case when ${locks} then ${lockedUntil} else locked_until end`,
      })
      .where('id', '=', operatorId)
      .execute();
  }

  /**
   * The live session of `sessionId`, its last use set to now; undefined when there is none, it
   * has expired (idle or at its absolute end; it is then deleted), or its operator is disabled.
   */
  async resume(sessionId: string, now = new Date()): Promise<Session | undefined> {
    const idHash = hashSessionId(sessionId);
    const row = await selectSessionOperators(this.db)
      .innerJoin('operator_sessions as s', 's.operator_id', 'o.id')
      .select(['s.csrf_token', 's.created_at', 's.last_seen_at'])
      .where('s.id_hash', '=', idHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.disabled || expiry(row.created_at, row.last_seen_at, this.idleMinutes) <= now) {
      await this.signOut(sessionId);
      return undefined;
    }
    await this.db.updateTable('operator_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    return { operator: toSessionOperator(row), csrfToken: row.csrf_token, expiresAt: expiry(row.created_at, now, this.idleMinutes) };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.db.deleteFrom('operator_sessions').where('id_hash', '=', hashSessionId(sessionId)).execute();
  }
}
