import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';

export interface AuditEntry {
  readonly at: Date;
  /** 0 when the call named no known client. */
  readonly clientId: number;
  readonly clientCode: string | null;
  readonly integrationId: number | null;
  readonly tokenId: number | null;
  readonly method: string;
  readonly endpoint: string;
  /** The 90xx code answered, 0 for success. */
  readonly errorCode: number;
  readonly httpStatus: number;
  readonly latencyMs: number;
  readonly requestId: string;
}

const FLUSH_INTERVAL_MS = 200;
const CLIENT_CODE_MAX = 100;
const METHOD_MAX = 16;
const ENDPOINT_MAX = 500;

/**
 * What a caller sent (a client code, an unmatched path) as text PostgreSQL stores: U+0000
 * shown as `\u0000` (text cannot hold it) and cut to the column's length.
 */
function storableText(value: string, max: number): string {
  return [...value.replaceAll('\u0000', '\\u0000')].slice(0, max).join('');
}
const BATCH_SIZE = 500;

/**
 * The audit trail of integration API calls. Entries are queued and written in batches off the
 * request path; `close` writes what is left, so a graceful shutdown loses none. No token is
 * ever part of an entry, only its id.
 */
export class AuditLog {
  private queue: AuditEntry[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: FastifyBaseLogger,
    private readonly afterFlush: () => Promise<void> = async () => {},
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  record(entry: AuditEntry): void {
    this.queue.push(entry);
    if (this.queue.length >= BATCH_SIZE) void this.flush();
  }

  /** Writes every queued entry; resolves when they are in the database. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeQueued());
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH_SIZE);
      try {
        await this.insert(batch);
      } catch (batchError) {
        // One row the database refuses must not cost the others theirs: retry them one by one.
        this.log.warn({ err: batchError, entries: batch.length }, 'audit batch refused; writing its entries one by one');
        for (const entry of batch) {
          try {
            await this.insert([entry]);
          } catch (error) {
            this.log.error({ err: error, requestId: entry.requestId }, 'could not write an audit entry');
          }
        }
      }
    }
    try {
      await this.afterFlush();
    } catch (error) {
      this.log.error({ err: error }, 'could not record token use');
    }
  }

  private async insert(entries: readonly AuditEntry[]): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values(
        entries.map((e) => ({
          at: e.at,
          client_id: e.clientId,
          client_code: e.clientCode === null ? null : storableText(e.clientCode, CLIENT_CODE_MAX),
          integration_id: e.integrationId,
          token_id: e.tokenId,
          method: storableText(e.method, METHOD_MAX),
          endpoint: storableText(e.endpoint, ENDPOINT_MAX),
          error_code: e.errorCode,
          http_status: e.httpStatus,
          latency_ms: e.latencyMs.toFixed(3),
          request_id: e.requestId,
        })),
      )
      .execute();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
