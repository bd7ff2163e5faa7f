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
function watchedKysely(dialect: Dialect): Kysely<DB> {
  const watch = new WriteWatch();
  return new Kysely<DB>({ dialect: watch.watching(dialect), plugins: [watch] });
}

function wrap(db: Kysely<DB>, kind: DatabaseKind, errors: { listener: (error: Error) => void }, onClose: () => Promise<void>): Database {
  let closed = false;
  return {
    db,
    kind,
    onError(listener) {
      errors.listener = listener;
    },
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
    const db = watchedKysely(new PostgresDialect({ pool }));
    return wrap(db, 'postgres', errors, async () => {});
  }
  const release = target.dataDir === undefined ? () => {} : lockDataDir(target.dataDir);
  try {
    const lite = await PGlite.create({ dataDir: target.dataDir, loadDataDir: target.template });
    const db = watchedKysely(new PostgresDialect({ pool: withPreparedStatements(new pg.Pool(createPgConfig(lite))) }));
    const database = wrap(db, 'pglite', { listener: () => {} }, async () => {
      await lite.close();
      release();
    });
    return { ...database, dump: (compression = 'none') => lite.dumpDataDir(compression) };
  } catch (error) {
    release();
    throw error;
  }
}
