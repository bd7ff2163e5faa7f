import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { keysetBatches, toPage } from '../admin/operation.js';
import { withChanges } from '../changes/log.js';
import { ApiError, NotFoundError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { VERSION } from '../version.js';
import { claimOverduePage, EXPORT_PAGE_SIZE, insertSentToCollectionsEvents, readBatchPage } from './repository.js';

/**
 * Sends every overdue violation of the client to collections as one new batch, in ONE
 * transaction: each page of up to EXPORT_PAGE_SIZE rows is locked with SKIP LOCKED, marked and
 * recorded by a single statement. Concurrent exports (any number of processes) therefore claim
 * disjoint rows; a failure rolls back every page, the batch included. Each violation sent gets
 * its `violation.sent_to_collections` event in the same transaction, one statement per page.
 * Returns the batch id, or null when nothing was overdue: an empty poll stores no batch.
 */
export async function exportOverdue(db: Kysely<DB>, clientId: number, integrationId: number): Promise<string | null> {
  const batchId = randomUUID();
  return withChanges(db, clientId, async (trx, emit) => {
    await trx.insertInto('collections_batches').values({ client_id: clientId, id: batchId, integration_id: integrationId }).execute();
    let afterId = 0;
    let total = 0;
    for (;;) {
      const page = await claimOverduePage(trx, clientId, batchId, afterId, EXPORT_PAGE_SIZE);
      total += page.count;
      const pageAfterId = afterId;
      emit({
        type: 'violation.sent_to_collections',
        count: page.count,
        write: (changeTrx, firstSeq) => insertSentToCollectionsEvents(changeTrx, clientId, batchId, pageAfterId, page.count, firstSeq),
      });
      if (page.count < EXPORT_PAGE_SIZE || page.lastId === null) break;
      afterId = page.lastId;
    }
    const batch = trx.updateTable('collections_batches').where('client_id', '=', clientId).where('id', '=', batchId);
    if (total === 0) {
      // Deleted in its own transaction, so no other reader ever saw it.
      await trx.deleteFrom('collections_batches').where('client_id', '=', clientId).where('id', '=', batchId).execute();
      return null;
    }
    await batch.set({ record_count: total }).execute();
    return batchId;
  });
}

/** The answer to a poll that found nothing overdue: no batch, no records. */
export function emptyExportBody(): string {
  return `{"batch_id":null,"records":[],"state":{"version":${JSON.stringify(VERSION)}}}`;
}

/** Whether the client has a batch with this id (9009 otherwise, as for any unknown record). */
export async function requireBatch(db: Kysely<DB>, clientId: number, batchId: string): Promise<void> {
  const batch = await db.selectFrom('collections_batches').select('id').where('client_id', '=', clientId).where('id', '=', batchId).executeTakeFirst();
  if (batch === undefined) throw new ApiError(9009, 'batch_id');
}

/**
 * The response body of a batch, streamed page by page from the stored records so that neither
 * the server nor the response holds a large export in memory. `batch_id` comes first, so even
 * a cut-off response tells the caller which batch to replay.
 */
export function batchBody(db: Kysely<DB>, clientId: number, batchId: string): Readable {
  async function* chunks() {
    yield `{"batch_id":${JSON.stringify(batchId)},"records":[`;
    let afterId = 0;
    let first = true;
    for (;;) {
      const rows = await readBatchPage(db, clientId, batchId, afterId, EXPORT_PAGE_SIZE);
      const last = rows.at(-1);
      if (last !== undefined) {
        yield `${first ? '' : ','}${rows.map((row) => row.record).join(',')}`;
        first = false;
        afterId = last.violation_id;
      }
      if (rows.length < EXPORT_PAGE_SIZE) break;
    }
    yield `],"state":{"version":${JSON.stringify(VERSION)}}}`;
  }
  return Readable.from(chunks());
}

/** What a stored record asks for: its adjusted fine when one was set, its fine otherwise. */
const RECORD_AMOUNT = sql<string>`coalesce(nullif((i.record->>'AdjustedFine')::numeric, 0), (i.record->>'Fine')::numeric)`;

/** A batch as the operator sees it: with its integration's name and the total its records ask for. */
function batchQuery(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('collections_batches as b')
    .innerJoin('integrations as n', (join) => join.onRef('n.client_id', '=', 'b.client_id').onRef('n.id', '=', 'b.integration_id'))
    .select((select) => [
      'b.id',
      'b.integration_id',
      'n.name as integration_name',
      'b.record_count',
      'b.created_at',
      select
        .selectFrom('collections_batch_items as i')
        .select(sql<string>`coalesce(sum(${RECORD_AMOUNT}), 0)::numeric(14, 2)::text`.as('total'))
        .whereRef('i.client_id', '=', 'b.client_id')
        .whereRef('i.batch_id', '=', 'b.id')
        .$asScalar()
        .$notNull()
        .as('total_amount'),
    ])
    .where('b.client_id', '=', clientId);
}

/**
 * The client's batches, newest first (an operator can hand a lost batch id back to its
 * integration), paged by creation order: `cursor` is the previous page's `next_cursor`.
 */
export async function recentBatches(db: Kysely<DB>, clientId: number, limit: number, cursor?: number) {
  let query = batchQuery(db, clientId).select('b.seq');
  if (cursor !== undefined) query = query.where('b.seq', '<', String(cursor));
  const rows = await query
    .orderBy('b.seq', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(({ seq: _seq, ...batch }) => batch);
  const lastShown = rows[limit - 1];
  return { items, next_cursor: rows.length > limit && lastShown !== undefined ? Number(lastShown.seq) : null };
}

/**
 * One batch with a page of its records as sent, in violation id order (`cursor`: the previous
 * page's last violation id), each with the columns an operator reads: ticket, plate, times and
 * amount.
 */
/** A page of a batch's records, in violation id order, after the violation id `cursor`. */
function batchRecords(db: Kysely<DB>, clientId: number, batchId: string, limit: number, cursor: number) {
  return db
    .selectFrom('collections_batch_items as i')
    .select([
      'i.violation_id as id',
      sql<string>`i.record->>'Ticket'`.as('ticket'),
      sql<string | null>`i.record->'vehicle'->>'Plate'`.as('plate'),
      sql<string>`i.record->>'Issued'`.as('issued'),
      sql<string>`i.record->>'Due'`.as('due'),
      sql<string>`${RECORD_AMOUNT}::numeric(14, 2)::text`.as('amount'),
      sql<Record<string, unknown>>`i.record`.as('record'),
    ])
    .where('i.client_id', '=', clientId)
    .where('i.batch_id', '=', batchId)
    .where('i.violation_id', '>', cursor)
    .orderBy('i.violation_id')
    .limit(limit)
    .execute();
}

/** The batch as the admin API shows it (404 when the client has none with this id). */
async function requireBatchRecord(db: Kysely<DB>, clientId: number, batchId: string) {
  const batch = await batchQuery(db, clientId).where('b.id', '=', batchId).executeTakeFirst();
  if (batch === undefined) throw new NotFoundError(`no collections batch ${batchId} for this client`, 'id');
  return batch;
}

export async function showBatch(db: Kysely<DB>, clientId: number, batchId: string, limit: number, cursor = 0) {
  const batch = await requireBatchRecord(db, clientId, batchId);
  const page = toPage(await batchRecords(db, clientId, batchId, limit + 1, cursor), limit);
  return { ...batch, records: page.items.map(({ id, ...record }) => ({ violation_id: id, ...record })), next_cursor: page.next_cursor };
}

/** Every record of a batch, for its CSV form, in batches (the batch checked first). */
export async function batchRecordRows(db: Kysely<DB>, clientId: number, batchId: string) {
  await requireBatchRecord(db, clientId, batchId);
  return keysetBatches(
    async (after: number | undefined, size) =>
      (await batchRecords(db, clientId, batchId, size, after ?? 0)).map(({ id, ticket, plate, issued, due, amount }) => ({
        violation_id: id,
        ticket,
        plate,
        issued,
        due,
        amount,
      })),
    (row) => row.violation_id,
  );
}
