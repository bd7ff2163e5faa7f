import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  TransactionSettings,
  UnknownRow,
} from 'kysely';

/** The table a statement writes, read from its SQL (builder-made and raw statements alike). */
const WRITE = /^\s*(?:\/\*.*?\*\/\s*)?(?:insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/i;

export type WriteListener = (tables: ReadonlySet<string>) => void;

/**
 * Tells the process which tables its own writes changed, once they are committed: a statement
 * outside a transaction when it completes, a transaction's statements when it commits (a
 * rolled-back one tells nothing). In-process caches forget what a write made stale from this
 * one place instead of every service remembering to. It is also a Kysely plugin, so a
 * transaction's handle finds the same watch as the database's (`writeWatchOf`).
 */
export class WriteWatch implements KyselyPlugin {
  private readonly listeners = new Set<WriteListener>();

  /**
   * @param sharedWithOtherProcesses whether other server processes may write the same database
   *   (PostgreSQL): their commits are not seen here, so writers also announce theirs (NOTIFY).
   */
  constructor(readonly sharedWithOtherProcesses: boolean) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  subscribe(listener: WriteListener): void {
    this.listeners.add(listener);
  }

  committed(tables: ReadonlySet<string>): void {
    if (tables.size === 0) return;
    for (const listener of this.listeners) listener(tables);
  }

  /** The dialect with its driver reporting committed writes here. */
  watching(dialect: Dialect): Dialect {
    return {
      createAdapter: () => dialect.createAdapter(),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createDriver: () => new WatchedDriver(dialect.createDriver(), this),
    };
  }
}

/** The watch a database handle or one of its transactions reports to. */
export function writeWatchOf(db: { getExecutor(): { readonly plugins: readonly KyselyPlugin[] } }): WriteWatch {
  const watch = db.getExecutor().plugins.find((plugin): plugin is WriteWatch => plugin instanceof WriteWatch);
  if (watch === undefined) throw new Error('this database handle was not opened by openDatabase (no write watch)');
  return watch;
}

/**
 * The one `T` of a database, shared by its handle and its transactions (they report to the same
 * watch), made by `create` on first use.
 */
export function perDatabase<T>(registry: WeakMap<WriteWatch, T>, db: Parameters<typeof writeWatchOf>[0], create: (watch: WriteWatch) => T): T {
  const watch = writeWatchOf(db);
  const existing = registry.get(watch);
  if (existing !== undefined) return existing;
  const made = create(watch);
  registry.set(watch, made);
  return made;
}

class WatchedConnection implements DatabaseConnection {
  /** Tables written by the open transaction; undefined outside one. */
  pending: Set<string> | undefined;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly watch: WriteWatch,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    const table = WRITE.exec(query.sql)?.[1]?.toLowerCase();
    if (table !== undefined) {
      if (this.pending === undefined) this.watch.committed(new Set([table]));
      else this.pending.add(table);
    }
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class WatchedDriver implements Driver {
  private readonly connections = new WeakMap<DatabaseConnection, WatchedConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly watch: WriteWatch,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let watched = this.connections.get(connection);
    if (watched === undefined) {
      watched = new WatchedConnection(connection, this.watch);
      this.connections.set(connection, watched);
    }
    return watched;
  }

  private unwrap(connection: DatabaseConnection): WatchedConnection {
    if (!(connection instanceof WatchedConnection)) throw new Error('a connection not acquired through the watched driver');
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const watched = this.unwrap(connection);
    await this.inner.beginTransaction(watched.inner, settings);
    watched.pending = new Set();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = this.unwrap(connection);
    const written = watched.pending ?? new Set<string>();
    watched.pending = undefined;
    await this.inner.commitTransaction(watched.inner);
    this.watch.committed(written);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const watched = this.unwrap(connection);
    watched.pending = undefined;
    await this.inner.rollbackTransaction(watched.inner);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.savepoint?.(this.unwrap(connection).inner, name, compileQuery);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.rollbackToSavepoint?.(this.unwrap(connection).inner, name, compileQuery);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.releaseSavepoint?.(this.unwrap(connection).inner, name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const watched = this.unwrap(connection);
    return this.inner.releaseConnection(watched.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
