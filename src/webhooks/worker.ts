import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { CHANGES_CHANNEL } from '../changes/log.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { writeWatchOf } from '../db/write-watch.js';
import { attemptDelivery, type AttemptResult } from './send.js';
import { eventMessage, eventMessageId, signingSecrets, type LoggedEvent } from './service.js';
import type { WebhookSettings } from './settings.js';

/** Endpoints one process sends to at once. */
const MAX_CONCURRENT_ENDPOINTS = 32;
/** A lease outlives an attempt by this much: a sender that stopped is taken over after it. */
const LEASE_MARGIN_MS = 5_000;

interface LeasedEndpoint {
  readonly client_id: number;
  readonly id: number;
}

interface EndpointState {
  readonly url: string;
  readonly event_types: string[] | null;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly previous_secret_until: Date | null;
  readonly enabled: boolean;
  readonly cursor: string;
  readonly failed_attempts: number;
}

/**
 * Delivers the change log to the webhook endpoints (docs/webhooks.md#delivery). The log is the
 * queue: each endpoint's cursor is the last event it was delivered, and its next event is sent
 * only after that one succeeded, so each endpoint sees its events in order, at least once.
 *
 * An endpoint is sent to by one process at a time: a process leases it (`leased_by`,
 * `leased_until`, claimed with `for update skip locked`) and renews the lease at every attempt; a
 * lease whose process died runs out and is taken over. The worker wakes at every commit of
 * events (this process's write watch, and other processes' NOTIFY on PostgreSQL), at the time of a
 * retry it scheduled, and every `sweepMs` (retries scheduled by others, leases run out).
 */
export class WebhookWorker {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly db: Kysely<DB>;
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopping = new AbortController();
  private sweep: NodeJS.Timeout | undefined;
  private passing = false;
  private again = false;

  constructor(
    private readonly database: Database,
    private readonly settings: WebhookSettings,
    private readonly log: FastifyBaseLogger,
  ) {
    this.db = database.db;
  }

  private get leaseMs(): number {
    return this.settings.timeoutMs + LEASE_MARGIN_MS;
  }

  async start(): Promise<void> {
    // PGlite is one process: a lease left in its files is a stopped process's, free at once.
    if (this.database.kind === 'pglite')
      await this.db.updateTable('webhooks').set({ leased_by: null, leased_until: null }).where('leased_by', 'is not', null).execute();
    // (not at writes to webhooks: the worker's own claims are such writes; an endpoint enabled
    // again is found by the next sweep)
    writeWatchOf(this.db).subscribe((tables) => {
      if (tables.has('change_log')) this.wake();
    });
    await this.database.listen(CHANGES_CHANNEL, () => this.wake());
    this.sweep = setInterval(() => this.wake(), this.settings.sweepMs);
    this.sweep.unref();
    this.wake();
  }

  /** Looks for endpoints with something due; coalesced while a look is under way. */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.passing) {
      this.again = true;
      return;
    }
    this.passing = true;
    void this.pass()
      .catch((error: unknown) => this.log.warn({ err: error }, 'webhook delivery pass failed'))
      .finally(() => {
        this.passing = false;
      });
  }

  private async pass(): Promise<void> {
    do {
      this.again = false;
      const room = MAX_CONCURRENT_ENDPOINTS - this.running.size;
      if (room <= 0 || this.stopping.signal.aborted) return;
      for (const endpoint of await this.claim(room)) {
        const key = `${endpoint.client_id}:${endpoint.id}`;
        const run = this.deliver(endpoint)
          .catch((error: unknown) => this.log.warn({ err: error, client_id: endpoint.client_id, webhook: endpoint.id }, 'webhook delivery failed'))
          .finally(() => {
            this.running.delete(key);
            // what committed while it ran may not have been seen by it
            this.wake();
          });
        this.running.set(key, run);
      }
    } while (this.again);
  }

  /** Leases up to `limit` enabled endpoints that have an event after their cursor and are due. */
  private async claim(limit: number): Promise<LeasedEndpoint[]> {
    const { rows } = await sql<LeasedEndpoint>`
      update webhooks w set leased_by = ${this.owner}, leased_until = now() + make_interval(secs => ${this.leaseMs / 1000})
      where (w.client_id, w.id) in (
        select d.client_id, d.id from webhooks d
        join change_counters c on c.client_id = d.client_id
        where d.enabled and d.next_attempt_at <= now() and d.cursor < c.last_seq
          and (d.leased_until is null or d.leased_until < now())
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      ) and (w.leased_until is null or w.leased_until < now())
      returning w.client_id, w.id
    `.execute(this.db);
    return rows;
  }

  /** Sends the endpoint's events in order until none is left, one fails, or the lease is lost. */
  private async deliver(endpoint: LeasedEndpoint): Promise<void> {
    try {
      for (;;) {
        if (this.stopping.signal.aborted) return;
        const next = await this.next(endpoint);
        if (next === undefined || !next.state.enabled) return;
        const { state } = next;
        if (next.event === undefined) {
          if (BigInt(next.lastSeq) > BigInt(state.cursor)) await this.advance(endpoint, next.lastSeq);
          return;
        }
        const result = await attemptDelivery(
          { url: state.url, secrets: signingSecrets(state) },
          eventMessage(endpoint.client_id, next.event),
          this.settings,
          this.stopping.signal,
        );
        // A stop cut the attempt short: it is made again (at least once), by whoever leases next.
        if (this.stopping.signal.aborted) return;
        const goOn = await this.record(endpoint, state, next.event, result);
        if (!goOn) return;
      }
    } finally {
      await this.release(endpoint);
    }
  }

  /**
   * The endpoint as it is now (while this process still holds its lease), the first event after
   * its cursor of a type it subscribes to, and the client's last sequence number: one statement.
   */
  private async next(endpoint: LeasedEndpoint): Promise<{ state: EndpointState; lastSeq: string; event: LoggedEvent | undefined } | undefined> {
    const { rows } = await sql<
      EndpointState & { last_seq: string | null; seq: string | null; type: string | null; occurred_at: Date | null; object: Record<string, unknown> | null }
    >`
      select w.url, w.event_types, w.secret, w.previous_secret, w.previous_secret_until, w.enabled, w.cursor, w.failed_attempts,
        c.last_seq, e.seq, e.type, e.occurred_at, e.object
      from webhooks w
      left join change_counters c on c.client_id = w.client_id
      left join lateral (
        select seq, type, occurred_at, object from change_log e
        where e.client_id = w.client_id and e.seq > w.cursor and (w.event_types is null or e.type = any(w.event_types))
        order by e.seq
        limit 1
      ) e on true
      where w.client_id = ${endpoint.client_id} and w.id = ${endpoint.id} and w.leased_by = ${this.owner}
    `.execute(this.db);
    const [row] = rows;
    if (row === undefined) return undefined;
    const { last_seq, seq, type, occurred_at, object, ...state } = row;
    const event = seq === null || type === null || occurred_at === null || object === null ? undefined : { seq, type, occurred_at, object };
    return { state, lastSeq: last_seq ?? '0', event };
  }

  /** Moves the cursor past events the endpoint does not subscribe to. */
  private async advance(endpoint: LeasedEndpoint, seq: string): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({ cursor: seq })
      .where('client_id', '=', endpoint.client_id)
      .where('id', '=', endpoint.id)
      .where('leased_by', '=', this.owner)
      .where('cursor', '<', seq)
      .execute();
  }

  /**
   * Records an attempt at the event after the cursor: success moves the cursor; failure
   * schedules the next attempt, or disables the endpoint (410, or the schedule exhausted).
   * Returns whether to go on with the next event.
   */
  private async record(endpoint: LeasedEndpoint, state: EndpointState, event: LoggedEvent, result: AttemptResult): Promise<boolean> {
    const schedule = this.settings.retryScheduleMs;
    const failures = state.failed_attempts + 1;
    const step = schedule[failures - 1];
    const succeeded = result.outcome === 'succeeded';
    const givenUp = result.outcome === 'gone' || (!succeeded && step === undefined);
    const waitMs = succeeded || givenUp ? 0 : Math.max(step ?? 0, result.retryAfterMs ?? 0);
    const nextAttemptAt = new Date(Date.now() + waitMs);
    const disabledReason =
      result.outcome === 'gone'
        ? 'the receiver answered 410 Gone'
        : `event ${event.seq} failed ${failures} attempts in a row (the last: ${result.error ?? 'no answer'})`;
    const status = succeeded ? 'succeeded' : givenUp ? 'failed' : 'pending';
    const pendingAt = status === 'pending' ? nextAttemptAt : null;
    const changes = succeeded
      ? sql`cursor = ${event.seq}, failed_attempts = 0, next_attempt_at = now(), delivered_count = delivered_count + 1`
      : givenUp
        ? sql`enabled = false, disabled_reason = ${disabledReason}, disabled_at = now(), failed_attempts = ${failures},
            failed_count = failed_count + 1, updated_at = now()`
        : sql`failed_attempts = ${failures}, next_attempt_at = ${nextAttemptAt}`;
    // One statement: the endpoint and its delivery change together, and only while the lease is
    // this process's (an endpoint deleted or taken over meanwhile records nothing).
    const { rows } = await sql<{ enabled: boolean }>`
      with updated as (
        update webhooks set ${changes}, leased_until = now() + make_interval(secs => ${this.leaseMs / 1000})
        where client_id = ${endpoint.client_id} and id = ${endpoint.id} and leased_by = ${this.owner}
        returning client_id, id, enabled
      ), recorded as (
        insert into webhook_deliveries
          (client_id, webhook_id, kind, message_id, seq, type, status, attempts, last_status_code, latency_ms, last_error, next_attempt_at)
        select client_id, id, 'event', ${eventMessageId(endpoint.client_id, event.seq)}::text, ${event.seq}::bigint, ${event.type}::text,
          ${status}::text, 1, ${result.statusCode}::integer, ${result.latencyMs}::integer, ${result.error}::text, ${pendingAt}::timestamptz
        from updated
        on conflict (client_id, webhook_id, seq) where kind = 'event' do update set
          status = excluded.status, attempts = webhook_deliveries.attempts + 1, last_status_code = excluded.last_status_code,
          latency_ms = excluded.latency_ms, last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at, updated_at = now()
        returning 1
      )
      select enabled from updated
    `.execute(this.db);
    const [updated] = rows;
    if (updated === undefined) return false;
    if (status === 'pending') this.wakeAfter(waitMs);
    return succeeded && updated.enabled;
  }

  private wakeAfter(ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.wake();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async release(endpoint: LeasedEndpoint): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({ leased_by: null, leased_until: null })
      .where('client_id', '=', endpoint.client_id)
      .where('id', '=', endpoint.id)
      .where('leased_by', '=', this.owner)
      .execute();
  }

  /** Stops: attempts under way are cut short (made again later) and the leases given back. */
  async close(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.sweep);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
