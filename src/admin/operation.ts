import type { TObject } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../core/audit.js';
import type { Authenticator, Client } from '../core/auth.js';
import type { DB } from '../db/schema.js';

/** What an admin operation runs with, over HTTP and from the CLI alike. */
export interface AdminServices {
  readonly db: Kysely<DB>;
  readonly auth: Authenticator;
  readonly audit: AuditLog;
}

export interface AdminInput {
  /** The client named by the path's `:code`, when the path has one. */
  readonly client: Client;
  readonly params: Record<string, unknown>;
  readonly body: any;
  readonly query: any;
}

/**
 * One operator action, declared once: the admin HTTP route and the `admin <resource> <action>`
 * CLI command are both generated from it and run the same `run`.
 */
export interface AdminOperation {
  readonly resource: string;
  readonly action: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below /admin/v1, e.g. `/clients/:code/lots`. */
  readonly path: string;
  readonly summary: string;
  /** Path parameters other than `:code`. */
  readonly params?: TObject;
  readonly body?: TObject;
  readonly query?: TObject;
  readonly status?: 200 | 201;
  run(services: AdminServices, input: AdminInput): Promise<unknown>;
}

export interface Page<T> {
  readonly items: T[];
  readonly next_cursor: number | null;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * Cuts a list read with `limit + 1` rows (ordered by `id`, after the cursor) into a page and
 * the cursor of the next one.
 */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? items[items.length - 1].id : null };
}
