/**
 * Lets concurrent identical reads share one database query, and keeps its answer for
 * `freshMs` after it completes: a request that arrives while the same read of the same client
 * is running, or just after, gets that answer instead of starting another query. Aggregates
 * (stats, lot values) cost milliseconds of database time each and dashboards poll them all at
 * once; sharing keeps that cost flat (on PGlite a query also blocks the event loop while it
 * runs, so requests cannot join it while it runs: the short freshness is what shares there).
 * A write made through this process forgets the reads (`forgetAll`), so a request that follows
 * a write always sees it; other processes see it within `freshMs`.
 */
export class SharedReads<V> {
  private readonly reads = new Map<string, { answer: Promise<V>; expires: number }>();

  constructor(private readonly freshMs: number) {}

  read(clientId: number, key: string, load: () => Promise<V>): Promise<V> {
    const id = `${clientId}\u0000${key}`;
    const current = this.reads.get(id);
    if (current !== undefined && current.expires > Date.now()) return current.answer;
    const entry = { answer: load(), expires: Number.POSITIVE_INFINITY };
    this.reads.set(id, entry);
    entry.answer.then(
      () => {
        entry.expires = Date.now() + this.freshMs;
      },
      () => {
        if (this.reads.get(id) === entry) this.reads.delete(id);
      },
    );
    return entry.answer;
  }

  /** The data changed: reads started or answered before now are not shared any more. */
  forgetAll(): void {
    this.reads.clear();
  }
}
