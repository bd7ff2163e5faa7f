import { sql, type Kysely } from 'kysely';
import { onlyRow } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { writeWatchOf } from '../db/write-watch.js';
import type { ChangeType } from './types.js';

/**
 * The PostgreSQL channel a commit of changes is announced on, with the client's id as payload:
 * long polls served by other processes wake at the commit (docs/changes.md#long-poll).
 */
export const CHANGES_CHANNEL = 'pc_changes';

// the list lives in a file of its own, which the operator console bundles
export { CHANGE_TYPES, type ChangeType } from './types.js';

/** One change: its type and the object as it is after the change (never a secret). */
export interface Change {
  readonly type: ChangeType;
  readonly object: Readonly<Record<string, unknown>>;
}

/**
 * Many changes of one type written by the database itself rather than one row at a time (an
 * export marking thousands of rows): `write` inserts exactly `count` events into change_log,
 * numbered `firstSeq`, `firstSeq + 1`, … in the transaction `trx`.
 */
export interface ChangeBatch {
  readonly type: ChangeType;
  readonly count: number;
  readonly write: (trx: Kysely<DB>, firstSeq: bigint) => Promise<void>;
}

/** Collects the changes a unit of work makes; they are written when the work is done. */
export type Emit = (change: Change | ChangeBatch) => void;

function isBatch(change: Change | ChangeBatch): change is ChangeBatch {
  return 'write' in change;
}

/**
 * Writes the client's changes at the end of the transaction that made them. The per-client
 * counter row is updated first: its lock is held until the transaction ends, so a concurrent
 * writer of the same client waits here and numbers its changes after these, and commits after
 * them. A reader therefore sees sequence numbers appear in order without gaps, and a rolled-back
 * transaction takes its numbers back with it. The lock is taken as late as possible (these are
 * the transaction's last statements) so that writers of one client overlap in everything else.
 */
async function appendChanges(trx: Kysely<DB>, clientId: number, changes: readonly (Change | ChangeBatch)[]): Promise<void> {
  const total = changes.reduce((sum, change) => sum + (isBatch(change) ? change.count : 1), 0);
  if (total === 0) return;
  const counted = onlyRow(
    await sql<{ last_seq: string }>`
      insert into change_counters (client_id, last_seq) values (${clientId}, ${total})
      on conflict (client_id) do update set last_seq = change_counters.last_seq + ${total}
      returning last_seq
    `.execute(trx),
  );
  let next = BigInt(counted.last_seq) - BigInt(total) + 1n;
  // Consecutive single changes go in one statement; a batch writes its own.
  let singles: Change[] = [];
  const flushSingles = async () => {
    if (singles.length === 0) return;
    const first = next;
    await trx
      .insertInto('change_log')
      .values(
        singles.map((change, index) => ({ client_id: clientId, seq: String(first + BigInt(index)), type: change.type, object: JSON.stringify(change.object) })),
      )
      .execute();
    next += BigInt(singles.length);
    singles = [];
  };
  for (const change of changes) {
    if (!isBatch(change)) {
      singles.push(change);
      continue;
    }
    await flushSingles();
    if (change.count === 0) continue;
    await change.write(trx, next);
    next += BigInt(change.count);
  }
  await flushSingles();
}

/**
 * Runs `work` in a transaction (or in the caller's, when `db` already is one) and writes the
 * changes it emits in that same transaction: a committed change always has its events, a
 * rolled-back one never does.
 */
export async function withChanges<T>(db: Kysely<DB>, clientId: number, work: (trx: Kysely<DB>, emit: Emit) => Promise<T>): Promise<T> {
  const run = async (trx: Kysely<DB>) => {
    const changes: Array<Change | ChangeBatch> = [];
    const result = await work(trx, (change) => changes.push(change));
    await appendChanges(trx, clientId, changes);
    // Delivered at commit, and never for a rollback; PGlite has no other process to tell.
    if (changes.length > 0 && writeWatchOf(trx).sharedWithOtherProcesses) {
      await sql`select pg_notify(${CHANGES_CHANNEL}, ${String(clientId)})`.execute(trx);
    }
    return result;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
