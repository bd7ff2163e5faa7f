import { sql, type Kysely, type Transaction } from 'kysely';
import { onlyRow } from '../db/database.js';
import type { DB } from '../db/schema.js';

/** Every kind of change the log records (docs/changes.md#event-catalogue). */
export const CHANGE_TYPES = [
  'permit.created',
  'permit.updated',
  'permit.deleted',
  'dntt.created',
  'dntt.ended',
  'alarm.set',
  'alarm.cleared',
  'vehicle.created',
  'vehicle.updated',
  'user.created',
  'user.updated',
  'violation.created',
  'violation.paid',
  'violation.voided',
  'violation.sent_to_collections',
  'lot.created',
  'lot.updated',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One change: its type and the object as it is after the change (never a secret). */
export interface Change {
  readonly type: ChangeType;
  readonly object: Readonly<Record<string, unknown>>;
}

/** Collects the changes a unit of work makes; they are written when the work is done. */
export type Emit = (change: Change) => void;

/**
 * Writes the client's changes at the end of the transaction that made them. The per-client
 * counter row is updated first: its lock is held until the transaction ends, so a concurrent
 * writer of the same client waits here and numbers its changes after these, and commits after
 * them. A reader therefore sees sequence numbers appear in order without gaps, and a rolled-back
 * transaction takes its numbers back with it. The lock is taken as late as possible (these are
 * the transaction's last statements) so that writers of one client overlap in everything else.
 */
async function appendChanges(trx: Transaction<DB> | Kysely<DB>, clientId: number, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const counted = onlyRow(
    await sql<{ last_seq: string }>`
      insert into change_counters (client_id, last_seq) values (${clientId}, ${changes.length})
      on conflict (client_id) do update set last_seq = change_counters.last_seq + ${changes.length}
      returning last_seq
    `.execute(trx),
  );
  const first = BigInt(counted.last_seq) - BigInt(changes.length) + 1n;
  await trx
    .insertInto('change_log')
    .values(
      changes.map((change, index) => ({ client_id: clientId, seq: String(first + BigInt(index)), type: change.type, object: JSON.stringify(change.object) })),
    )
    .execute();
}

/**
 * Runs `work` in a transaction (or in the caller's, when `db` already is one) and writes the
 * changes it emits in that same transaction: a committed change always has its events, a
 * rolled-back one never does.
 */
export async function withChanges<T>(db: Kysely<DB>, clientId: number, work: (trx: Kysely<DB>, emit: Emit) => Promise<T>): Promise<T> {
  const run = async (trx: Kysely<DB>) => {
    const changes: Change[] = [];
    const result = await work(trx, (change) => changes.push(change));
    await appendChanges(trx, clientId, changes);
    return result;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
