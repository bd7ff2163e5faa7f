/**
 * Lets concurrent identical reads share one database query: a request that arrives while the
 * same read of the same client is running waits for that query instead of starting another.
 * Aggregates (stats, lot values) cost milliseconds of database time each and dashboards poll
 * them all at once; sharing keeps that cost flat. A write made through this process detaches
 * the client's running reads, so a request that follows a write always sees it.
 */
export class SharedReads<V> {
  private readonly running = new Map<string, Promise<V>>();

  read(clientId: number, key: string, load: () => Promise<V>): Promise<V> {
    const id = `${clientId}\u0000${key}`;
    const current = this.running.get(id);
    if (current !== undefined) return current;
    const started: Promise<V> = load().finally(() => {
      if (this.running.get(id) === started) this.running.delete(id);
    });
    this.running.set(id, started);
    return started;
  }

  /** The client's data changed: reads started before now are not shared any more. */
  changed(clientId: number): void {
    const prefix = `${clientId}\u0000`;
    for (const id of [...this.running.keys()]) if (id.startsWith(prefix)) this.running.delete(id);
  }
}

/** One SharedReads per database handle, so two databases in one process never share a read. */
export function sharedReadsOf<V>(registry: WeakMap<object, SharedReads<V>>, db: object): SharedReads<V> {
  let reads = registry.get(db);
  if (reads === undefined) {
    reads = new SharedReads<V>();
    registry.set(db, reads);
  }
  return reads;
}
