import type { Kysely } from 'kysely';
import { SharedReads, sharedReadsOf } from '../core/shared-reads.js';
import type { DB } from '../db/schema.js';

const registry = new WeakMap<object, SharedReads<unknown>>();

/** How long a stats or lot-values answer is reused; writes through this process forget it at once. */
export const AGGREGATE_FRESH_MS = 1_000;

/** The shared stats and lot-value reads of a database (see SharedReads). */
export function permitReads(db: Kysely<DB>): SharedReads<unknown> {
  return sharedReadsOf(registry, db, AGGREGATE_FRESH_MS);
}

/** A permit, permit type or lot of the client changed: later aggregate reads must see it. */
export function permitsChanged(db: Kysely<DB>, clientId: number): void {
  permitReads(db).changed(clientId);
}
