import type { Kysely } from 'kysely';
import type { Authenticator } from '../core/auth.js';
import { NotFoundError } from '../core/errors.js';
import type { DB } from '../db/schema.js';
import { toPage } from '../admin/operation.js';

/** Who made an admin call that was not an operator's: the admin token, or the command line. */
export type CredentialActor = 'admin-token' | 'cli';
export const CREDENTIAL_ACTORS: readonly CredentialActor[] = ['admin-token', 'cli'];

export interface OperatorAction {
  /** The operator, or null for the admin token and the command line. */
  readonly operatorId: number | null;
  /** The operator's username, or `admin-token` / `cli`. */
  readonly actor: string;
  readonly clientCode: string | undefined;
  readonly resource: string;
  readonly action: string;
  readonly method: string;
  /** The path's parameters as given (`code`, `id`, `username`). */
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
}

/** Records one admin call that changed something (or tried to), with its answer's status. */
export async function recordOperatorAction(db: Kysely<DB>, auth: Authenticator, action: OperatorAction): Promise<void> {
  const client = action.clientCode === undefined ? null : await auth.findClient(action.clientCode);
  await db
    .insertInto('operator_actions')
    .values({
      operator_id: action.operatorId,
      actor: action.actor,
      client_id: client?.clientId ?? null,
      resource: action.resource,
      action: action.action,
      method: action.method,
      params: JSON.stringify(action.params),
      status: action.status,
    })
    .execute();
}

export interface ActionFilters {
  /** A username, `admin-token` or `cli` (any case). */
  readonly operator?: string | undefined;
  /** A client code. */
  readonly client?: string | undefined;
  /** Only actions at or after this time. */
  readonly since?: string | undefined;
  /** Only actions before this time. */
  readonly until?: string | undefined;
  /** Only actions on this resource, e.g. `tokens`. */
  readonly resource?: string | undefined;
}

/** Recorded actions, newest first, paged by id. */
export async function listOperatorActions(db: Kysely<DB>, auth: Authenticator, filters: ActionFilters, limit: number, cursor?: number) {
  let query = db
    .selectFrom('operator_actions as a')
    .leftJoin('clients as c', 'c.client_id', 'a.client_id')
    .select(['a.id', 'a.at', 'a.operator_id', 'a.actor', 'c.code as client_code', 'a.resource', 'a.action', 'a.method', 'a.params', 'a.status']);
  const actor = filters.operator?.trim().toLowerCase();
  if (actor !== undefined) query = query.where((where) => where(where.fn('lower', ['a.actor']), '=', actor));
  if (filters.client !== undefined) {
    const client = await auth.findClient(filters.client);
    if (client === null) throw new NotFoundError(`no client with code ${filters.client}`, 'client');
    query = query.where('a.client_id', '=', client.clientId);
  }
  if (filters.since !== undefined) query = query.where('a.at', '>=', new Date(filters.since));
  if (filters.until !== undefined) query = query.where('a.at', '<', new Date(filters.until));
  if (filters.resource !== undefined) query = query.where('a.resource', '=', filters.resource);
  if (cursor !== undefined) query = query.where('a.id', '<', String(cursor));
  const rows = await query
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
    .execute();
  // bigint ids come as exact text; they stay below 2^53, where a JSON number is exact
  return toPage(
    rows.map((row) => ({ ...row, id: Number(row.id) })),
    limit,
  );
}
