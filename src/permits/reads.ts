import type { Kysely } from 'kysely';
import { SharedReads } from '../core/shared-reads.js';
import type { DB } from '../db/schema.js';
import { perDatabase, type WriteWatch } from '../db/write-watch.js';
import { type lotValues, type permitStats } from './repository.js';

/** How long a stats or lot-value answer is reused; a write through this process forgets it at once. */
export const AGGREGATE_FRESH_MS = 1_000;

/** The tables stats and lot values read: a committed write to any of them makes both stale. */
const AGGREGATE_TABLES = ['lots', 'zone_aliases', 'permit_types', 'standard_permits', 'pushed_permits', 'integrations'] as const;

export interface PermitReads {
  stats: SharedReads<Awaited<ReturnType<typeof permitStats>>>;
  lotValues: SharedReads<Awaited<ReturnType<typeof lotValues>>>;
}

const registry = new WeakMap<WriteWatch, PermitReads>();

/**
 * The shared stats and lot-value reads of a database (see SharedReads). They are forgotten in
 * one place, when the database's write watch reports a committed write to a table they read,
 * whatever service, admin operation or transaction made it. The watch does not know which client
 * wrote, so every client's aggregates of that database are read again: an extra query per client
 * after a write, never a stale answer.
 */
export function permitReads(db: Kysely<DB>): PermitReads {
  return perDatabase(registry, db, (watch) => {
    const reads: PermitReads = { stats: new SharedReads(AGGREGATE_FRESH_MS), lotValues: new SharedReads(AGGREGATE_FRESH_MS) };
    watch.subscribe((tables) => {
      if (!AGGREGATE_TABLES.some((table) => tables.has(table))) return;
      reads.stats.forgetAll();
      reads.lotValues.forgetAll();
    });
    return reads;
  });
}
