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
        await this.db
          .insertInto('audit_log')
          .values(
            batch.map((e) => ({
              at: e.at,
              client_id: e.clientId,
              client_code: e.clientCode,
              integration_id: e.integrationId,
              token_id: e.tokenId,
              method: e.method,
              endpoint: e.endpoint,
              error_code: e.errorCode,
              http_status: e.httpStatus,
              latency_ms: e.latencyMs.toFixed(3),
              request_id: e.requestId,
            })),
          )
          .execute();
      } catch (error) {
        this.log.error({ err: error, lost: batch.length }, 'could not write audit entries');
      }
    }
    try {
      await this.afterFlush();
    } catch (error) {
      this.log.error({ err: error }, 'could not record token use');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
