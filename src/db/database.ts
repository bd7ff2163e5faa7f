import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock.js';
import type { DB } from './schema.js';
import { WriteWatch } from './write-watch.js';

// `date` columns stay yyyy-mm-dd text: pg would turn them into local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// Counts and other int8 results stay exact decimal text (the API answers totals as strings).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * A query whose text starts with this comment runs as a named prepared statement: PostgreSQL
 * parses and plans it once per connection instead of on every call. Kept for the hot paths
 * (plate validation: planning its one query cost 2.5 ms against 0.7 ms of execution).
 */
/**
 * The row of a statement that always returns exactly one (`select <expressions>`, an aggregate,
 * an insert … returning of one row): none is a fault of the statement, not of the input.
 */
export function onlyRow<T>(result: { rows: T[] }): T {
  const [row] = result.rows;
  if (row === undefined) throw new Error('a statement that returns one row returned none');
  return row;
}

export function preparedName(name: string): string {
  return `/* prepared:${name} */`;
}
const PREPARED = /^\/\* prepared:([a-z0-9_]+) \*\//;

type QueryFn = (text: unknown, values?: unknown) => Promise<unknown>;

/** Makes the pool's clients run `preparedName`-marked texts as named prepared statements. */
function withPreparedStatements(pool: pg.Pool): pg.Pool {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const wrapped = new WeakSet<pg.PoolClient>();
  (pool as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = await connect();
    if (!wrapped.has(client)) {
      wrapped.add(client);
      const query = client.query.bind(client) as QueryFn;
      (client as unknown as { query: QueryFn }).query = (text, values) => {
        const name = typeof text === 'string' ? PREPARED.exec(text)?.[1] : undefined;
        return name === undefined ? query(text, values) : query({ name, text, values });
      };
    }
    return client;
  };
  return pool;
}

/** How a `select 1` went: answered, not answered in time, or failed with `error`. */
export type PingResult = { readonly state: 'ok' } | { readonly state: 'timeout' } | { readonly state: 'failed'; readonly error: unknown };

export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** Where errors of idle pool connections go (a server restarting, a network cut): logged, not fatal. */
  onError(listener: (error: Error) => void): void;
  /**
   * Whether the database answers `select 1` within `timeoutMs`. A query that times out is not
   * cancelled: an unreachable server may hold a connection attempt that long, and waiting on it
   * would hold the caller too.
   */
  ping(timeoutMs: number): Promise<PingResult>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel` committed by any process
   * sharing the database (PostgreSQL: one dedicated connection per Database, reconnected when
   * lost; PGlite: nothing, this process being the only one). Resolves once listening, or once a
   * first attempt failed: it is retried in the background and its errors go to onError.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
  /** The embedded database's files as a tarball (a template for new directories); PGlite only. */
  dump?(compression?: 'none' | 'gzip'): Promise<Blob>;
}

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Waiting for a connection (and for PostgreSQL to accept it) fails after this. */
      connectTimeoutMs?: number;
      /** A statement, or a transaction left idle, is cancelled by PostgreSQL after this. */
      statementTimeoutMs?: number;
    }
  /** `dataDir` undefined: in memory. `template`: a dump to start a new directory from. */
  | { kind: 'pglite'; dataDir?: string; template?: Blob };

/** A Kysely instance whose committed writes are reported to its WriteWatch. */
function watchedKysely(dialect: Dialect, sharedWithOtherProcesses: boolean): Kysely<DB> {
  const watch = new WriteWatch(sharedWithOtherProcesses);
  return new Kysely<DB>({ dialect: watch.watching(dialect), plugins: [watch] });
}

/** After a lost or refused listening connection, the next attempt comes this much later. */
const LISTEN_RETRY_MS = 1_000;

/** Stops a client's events reaching the listener; a late error is dropped rather than thrown. */
function silence(client: pg.Client): void {
  client.removeAllListeners();
  client.on('error', () => {});
}

/**
 * The one connection of a process that LISTENs on PostgreSQL. It is kept apart from the pool: a
 * pooled connection is handed to other work, and LISTEN belongs to a session. When it is lost it
 * is opened again and listens again on every channel; notifications sent meanwhile are missed,
 * which their users cover by looking on their own from time to time.
 */
class Listener {
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private client: pg.Client | undefined;
  private listening = new Set<string>();
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly errors: { listener: (error: Error) => void },
  ) {}

  async listen(channel: string, onMessage: (payload: string) => void): Promise<void> {
    const handlers = this.handlers.get(channel) ?? new Set();
    handlers.add(onMessage);
    this.handlers.set(channel, handlers);
    if (this.closed) return;
    this.connecting ??= this.connect();
    await this.connecting;
    const client = this.client;
    if (client === undefined || this.listening.has(channel)) return;
    try {
      await this.listenOn(client, channel);
    } catch (error) {
      // The connection broke: its loss is handled (and reported) where it is noticed.
      this.errors.listener(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async listenOn(client: pg.Client, channel: string): Promise<void> {
    this.listening.add(channel);
    await client.query(`listen ${client.escapeIdentifier(channel)}`);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    const lost = (error?: Error) => {
      if (error !== undefined) this.errors.listener(error);
      if (this.client !== client && this.client !== undefined) return;
      this.client = undefined;
      this.listening = new Set();
      silence(client);
      // A broken client may still hold its socket.
      client.end().catch(() => {});
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    try {
      await client.connect();
      if (this.closed) {
        silence(client);
        await client.end();
        return;
      }
      this.client = client;
      for (const channel of this.handlers.keys()) await this.listenOn(client, channel);
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private reconnectLater(): void {
    if (this.closed || this.retry !== undefined) return;
    this.connecting = undefined;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connecting = this.connect();
    }, LISTEN_RETRY_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    silence(client);
    await client.end();
  }
}

function wrap(
  db: Kysely<DB>,
  kind: DatabaseKind,
  errors: { listener: (error: Error) => void },
  listen: Database['listen'],
  onClose: () => Promise<void>,
): Database {
  let closed = false;
  return {
    db,
    kind,
    onError(listener) {
      errors.listener = listener;
    },
    listen,
    async ping(timeoutMs) {
      // A closed PGlite handed a query through pg fails it and also leaves a stray rejection behind.
      if (closed) return { state: 'failed', error: new Error('the database is closed') };
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<PingResult>((resolve) => {
        timer = setTimeout(() => resolve({ state: 'timeout' }), timeoutMs);
      });
      const answered = sql`select 1`.execute(db).then(
        (): PingResult => ({ state: 'ok' }),
        (error: unknown): PingResult => ({ state: 'failed', error }),
      );
      try {
        return await Promise.race([answered, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await onClose();
    },
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = withPreparedStatements(
      new pg.Pool({
        connectionString: target.url,
        max: target.poolSize ?? 10,
        connectionTimeoutMillis: target.connectTimeoutMs ?? 10_000,
        statement_timeout: target.statementTimeoutMs ?? 60_000,
        idle_in_transaction_session_timeout: target.statementTimeoutMs ?? 60_000,
      }),
    );
    // An idle client losing its connection must not crash the process: it is reported instead.
    const errors = { listener: (_error: Error) => {} };
    pool.on('error', (error) => errors.listener(error));
    const db = watchedKysely(new PostgresDialect({ pool }), true);
    const listener = new Listener({ connectionString: target.url, connectionTimeoutMillis: target.connectTimeoutMs ?? 10_000 }, errors);
    return wrap(
      db,
      'postgres',
      errors,
      (channel, onMessage) => listener.listen(channel, onMessage),
      () => listener.close(),
    );
  }
  const release = target.dataDir === undefined ? () => {} : lockDataDir(target.dataDir);
  try {
    const lite = await PGlite.create({ dataDir: target.dataDir, loadDataDir: target.template });
    const db = watchedKysely(new PostgresDialect({ pool: withPreparedStatements(new pg.Pool(createPgConfig(lite))) }), false);
    const database = wrap(
      db,
      'pglite',
      { listener: () => {} },
      async () => {},
      async () => {
        await lite.close();
        release();
      },
    );
    return { ...database, dump: (compression = 'none') => lite.dumpDataDir(compression) };
  } catch (error) {
    release();
    throw error;
  }
}
