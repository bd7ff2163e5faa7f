import { sql, type Kysely } from 'kysely';
import { ApiError } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import { onlyRow, type Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { perDatabase, type WriteWatch } from '../db/write-watch.js';
import { CHANGES_FIELDS, DEFAULT_EVENTS, MAX_EVENTS, MAX_WAIT_SECONDS } from './fields.js';
import { CHANGE_TYPES, CHANGES_CHANNEL, type ChangeType } from './log.js';

export interface ChangeEvent {
  readonly seq: number;
  readonly type: ChangeType;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

export interface FeedAnswer {
  readonly events: ChangeEvent[];
  readonly next_cursor: string;
}

interface FeedQuery {
  /** null: from the oldest event kept. */
  readonly after: bigint | null;
  readonly limit: number;
  readonly types: readonly ChangeType[] | null;
  readonly waitMs: number;
}

const f = CHANGES_FIELDS;
const DIGITS = /^\d+$/;

function isChangeType(type: string): type is ChangeType {
  return (CHANGE_TYPES as readonly string[]).includes(type);
}

/** The feed's query, from the query string and the body alike (the body wins). */
export function readFeedQuery(fields: Fields): FeedQuery {
  const after = fields.text(f.after);
  if (after !== undefined && !DIGITS.test(after)) throw new ApiError(9033, fields.nameOf(f.after), { hint: 'the next_cursor of an earlier answer' });
  const limit = fields.id(f.limit) ?? DEFAULT_EVENTS;
  if (limit > MAX_EVENTS) throw new ApiError(9033, fields.nameOf(f.limit), { hint: `at most ${MAX_EVENTS}` });
  const typesText = fields.text(f.types);
  let types: ChangeType[] | null = null;
  if (typesText !== undefined) {
    const named = typesText
      .split(',')
      .map((type) => type.trim())
      .filter((type) => type !== '');
    const unknown = named.find((type) => !isChangeType(type));
    if (unknown !== undefined)
      throw new ApiError(9033, fields.nameOf(f.types), { hint: `${unknown} is not an event type; the types are ${CHANGE_TYPES.join(', ')}` });
    types = named.filter(isChangeType);
  }
  const wait = fields.text(f.wait) ?? '0';
  if (!DIGITS.test(wait) || Number(wait) > MAX_WAIT_SECONDS)
    throw new ApiError(9033, fields.nameOf(f.wait), { hint: `whole seconds from 0 to ${MAX_WAIT_SECONDS}` });
  return { after: after === undefined ? null : BigInt(after), limit, types, waitMs: Number(wait) * 1000 };
}

/** One read of the log, in one statement: the events after the cursor and the client's counter. */
async function readOnce(db: Kysely<DB>, clientId: number, query: FeedQuery) {
  const typeFilter = query.types === null ? sql`true` : sql`e.type = any(${query.types})`;
  const { rows } = await sql<{
    last_seq: string | null;
    pruned_through: string | null;
    seq: string | null;
    type: string | null;
    occurred_at: Date | null;
    object: Record<string, unknown> | null;
  }>`
    select c.last_seq, c.pruned_through, e.seq, e.type, e.occurred_at, e.object
    from (select 1) one
    left join change_counters c on c.client_id = ${clientId}
    left join lateral (
      select seq, type, occurred_at, object from change_log e
      where e.client_id = ${clientId} and e.seq > ${String(query.after ?? 0n)} and ${typeFilter}
      order by e.seq
      limit ${query.limit}
    ) e on true
    order by e.seq
  `.execute(db);
  const head = rows[0];
  const lastSeq = BigInt(head?.last_seq ?? '0');
  const prunedThrough = BigInt(head?.pruned_through ?? '0');
  const events: ChangeEvent[] = rows.flatMap((row) =>
    row.seq === null || row.type === null || row.occurred_at === null || row.object === null || !isChangeType(row.type)
      ? []
      : [{ seq: Number(row.seq), type: row.type, timestamp: row.occurred_at.toISOString(), data: row.object }],
  );
  return { lastSeq, prunedThrough, events };
}

/**
 * Resolves when the client's change log may have grown: a commit to change_log through this
 * process (any client's: the write watch does not say whose), a commit of the client's changes
 * announced by another process (followOtherProcesses), or after `ms`.
 */
class ChangeWaiters {
  private readonly waiting = new Map<() => void, number>();

  constructor(watch: WriteWatch) {
    watch.subscribe((tables) => {
      if (!tables.has('change_log')) return;
      for (const wake of [...this.waiting.keys()]) wake();
    });
  }

  wakeClient(clientId: number): void {
    for (const [wake, waitingClient] of [...this.waiting]) if (waitingClient === clientId) wake();
  }

  wait(clientId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.set(done, clientId);
    });
  }
}

const waitersByWatch = new WeakMap<WriteWatch, ChangeWaiters>();

function waitersOf(db: Kysely<DB>): ChangeWaiters {
  return perDatabase(waitersByWatch, db, (watch) => new ChangeWaiters(watch));
}

/**
 * Wakes this process's long polls when another process sharing the database commits changes
 * (PostgreSQL's NOTIFY, sent by withChanges). Called once per database by the app.
 */
export function followOtherProcesses(database: Database): Promise<void> {
  const waiters = waitersOf(database.db);
  return database.listen(CHANGES_CHANNEL, (payload) => {
    if (DIGITS.test(payload)) waiters.wakeClient(Number(payload));
  });
}

/**
 * A waiting reader also looks again at this interval: the fallback for a commit whose
 * announcement was missed (the listening connection being reopened).
 */
const OTHER_PROCESS_POLL_MS = 1_000;

/**
 * The client's events after the cursor, in sequence order. With `wait`, an empty answer waits
 * for the next event (woken at once by a commit in this process or, on PostgreSQL, in another). A cursor older than what the
 * log keeps answers 410 (9041); one beyond the newest event 9033.
 */
export async function readFeed(db: Kysely<DB>, clientId: number, fields: Fields): Promise<FeedAnswer> {
  const query = readFeedQuery(fields);
  const deadline = Date.now() + query.waitMs;
  for (;;) {
    const read = await readOnce(db, clientId, query);
    const after = query.after ?? read.prunedThrough;
    if (after < read.prunedThrough)
      throw new ApiError(9041, fields.nameOf(f.after), { hint: `the log keeps events after ${read.prunedThrough}; start again without a cursor` });
    if (after > read.lastSeq) throw new ApiError(9033, fields.nameOf(f.after), { hint: `no event has come after ${read.lastSeq} yet` });
    const last = read.events.at(-1);
    if (last !== undefined || Date.now() >= deadline) {
      // When the page is not full, every event up to the counter has been seen (or filtered out).
      const next = read.events.length === query.limit && last !== undefined ? BigInt(last.seq) : read.lastSeq;
      return { events: read.events, next_cursor: String(next) };
    }
    await waitersOf(db).wait(clientId, Math.min(OTHER_PROCESS_POLL_MS, deadline - Date.now()));
  }
}

/**
 * Forgets events older than the retention, at most `batch` at a time, and remembers per client
 * the newest sequence number forgotten, so that an older cursor answers 410 rather than skip.
 * Returns how many were forgotten.
 */
export async function pruneChanges(db: Kysely<DB>, retentionDays: number, batch = 10_000): Promise<number> {
  const result = onlyRow(
    await sql<{ pruned: string }>`
      with doomed as (
        select client_id, seq from change_log
        where occurred_at < now() - make_interval(days => ${retentionDays})
        order by occurred_at
        limit ${batch}
      ), pruned as (
        delete from change_log l using doomed d
        where l.client_id = d.client_id and l.seq = d.seq
        returning l.client_id, l.seq
      ), marked as (
        update change_counters c set pruned_through = greatest(c.pruned_through, p.max_seq)
        from (select client_id, max(seq) as max_seq from pruned group by client_id) p
        where c.client_id = p.client_id
        returning 1
      )
      select (select count(*) from pruned)::text as pruned
    `.execute(db),
  );
  return Number(result.pruned);
}
