import { Readable } from 'node:stream';
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../core/audit.js';
import type { Authenticator, Client } from '../core/auth.js';
import type { DB, OperatorRole } from '../db/schema.js';
import type { WebhookSettings } from '../webhooks/settings.js';
import { rolesFor } from './access.js';
import { parseClientCode, parseInput } from './input.js';
import { requireClient } from './resolve.js';

/** What an admin operation runs with, over HTTP and from the CLI alike. */
export interface AdminServices {
  readonly db: Kysely<DB>;
  readonly auth: Authenticator;
  readonly audit: AuditLog;
  /** How webhooks are checked and sent (the test and redeliver operations send). */
  readonly webhooks: WebhookSettings;
}

/** What an edge hands over before any check: path parameters, query and body as received. */
export interface RawAdminInput {
  /** The path's `:code`, when the path has one. */
  readonly code: string | undefined;
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

/**
 * One operator action as the edges see it: the admin HTTP route and the `admin <resource>
 * <action>` CLI command are both generated from it, and both hand their raw input to `execute`,
 * which checks it against the schemas (one set of messages for both edges) and runs it.
 */
export interface AdminOperation {
  readonly resource: string;
  readonly action: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below /admin/v1, e.g. `/clients/:code/lots`. */
  readonly path: string;
  readonly summary: string;
  /** Path parameters other than `:code`. */
  readonly params: TObject;
  readonly query: TObject;
  readonly body: TObject;
  readonly status: 200 | 201;
  /** What a success answers: documented in the OpenAPI document, never used to serialise. */
  readonly response: TSchema;
  /** The operator roles that may call it (src/admin/access.ts); the admin token may call all. */
  readonly roles: readonly OperatorRole[];
  execute(services: AdminServices, raw: RawAdminInput): Promise<unknown>;
  /** A list's CSV form, when it has one: served at the list's path + `.csv` (src/admin/http.ts). */
  readonly csv?: {
    /** The download's file name without `.csv` (the client code is added). */
    readonly fileName: string;
    readonly columns: readonly string[];
    /** Checks the input as `execute` does (refusing it before anything is sent), then answers the CSV text as a stream. */
    open(services: AdminServices, raw: RawAdminInput): Promise<Readable>;
  };
}

/** The input schemas of an operation that takes nothing there (every part is declared). */
export const NoParams = Type.Object({});
export const NoQuery = Type.Object({});
export const NoBody = Type.Object({});

interface Declaration<P extends TObject, Q extends TObject, B extends TObject, R extends TSchema, Path extends string, Context> {
  readonly resource: string;
  readonly action: string;
  readonly method: AdminOperation['method'];
  readonly path: Path;
  readonly summary: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly status?: 200 | 201;
  /** The answer's schema: `run` must return what it describes (checked when compiling). */
  readonly response: R;
  run(services: AdminServices, input: Context & { params: Static<P>; query: Static<Q>; body: Static<B> }): Promise<Static<R>>;
  /**
   * The list's CSV form (a GET list only): every row its filters select, not one page, read in
   * batches by `rows` (which checks the input before its first row) and written as they come.
   */
  readonly csv?: CsvDeclaration<Context & { params: Static<P>; query: Static<Q>; body: Static<B> }>;
}

/** A CSV export: the columns (keys of each row, in order) and the rows as an async stream of batches. */
export interface CsvDeclaration<Input> {
  readonly fileName: string;
  readonly columns: readonly string[];
  rows(services: AdminServices, input: Input): Promise<AsyncIterable<readonly Readonly<Record<string, unknown>>[]>>;
}

/** The rows a CSV form reads at a time: the server holds one batch, whatever the export's size. */
const CSV_BATCH_SIZE = 1_000;

/**
 * A list's rows for its CSV form, CSV_BATCH_SIZE at a time by the list's keyset: `read(after,
 * size)` answers the rows after the key `after` (undefined: from the first), `keyOf` a row's key.
 */
export async function* keysetBatches<Row, Key>(
  read: (after: Key | undefined, size: number) => Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
): AsyncGenerator<readonly Row[]> {
  let after: Key | undefined;
  for (;;) {
    const rows = await read(after, CSV_BATCH_SIZE);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (last === undefined || rows.length < CSV_BATCH_SIZE) return;
    after = keyOf(last);
  }
}

/** Rows as RFC 4180 CSV (CRLF line ends, header first), times as ISO-8601 UTC, written as the batches arrive. */
function csvStream(columns: readonly string[], batches: AsyncIterable<readonly Readonly<Record<string, unknown>>[]>): Readable {
  const rows = Readable.from(
    (async function* () {
      for await (const batch of batches) yield* batch;
    })(),
  );
  const csv = stringify({
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    cast: { date: (value) => value.toISOString(), boolean: (value) => String(value) },
    // a cell starting with = + - @ (or a tab or carriage return) is not run as a formula by a spreadsheet
    escape_formulas: true,
  });
  // a failed read ends the answer early (the client sees a cut-off file), never silently
  rows.on('error', (error) => csv.destroy(error));
  return rows.pipe(csv);
}

function describe<P extends TObject, Q extends TObject, B extends TObject, R extends TSchema, Context>(declared: Declaration<P, Q, B, R, string, Context>) {
  return {
    resource: declared.resource,
    action: declared.action,
    method: declared.method,
    path: declared.path,
    summary: declared.summary,
    params: declared.params,
    query: declared.query,
    body: declared.body,
    status: declared.status ?? 200,
    response: declared.response,
    roles: rolesFor(declared.resource, declared.method),
  };
}

function parseAll<P extends TObject, Q extends TObject, B extends TObject, R extends TSchema, Context>(
  declared: Declaration<P, Q, B, R, string, Context>,
  raw: RawAdminInput,
) {
  return {
    params: parseInput(declared.params, raw.params, 'text'),
    query: parseInput(declared.query, raw.query, 'text'),
    body: parseInput(declared.body, raw.body, 'json'),
  };
}

/** An operation on one client, named by the path's `:code` (404 when there is none). */
export function clientOperation<P extends TObject, Q extends TObject, B extends TObject, R extends TSchema>(
  declared: Declaration<P, Q, B, R, `${string}/:code${string}`, { client: Client }>,
): AdminOperation {
  const input = async (services: AdminServices, raw: RawAdminInput) => {
    if (raw.code === undefined) throw new Error(`${declared.path} was called without its :code`);
    const client = await requireClient(services.auth, parseClientCode(raw.code));
    return { client, ...parseAll(declared, raw) };
  };
  const { csv } = declared;
  return {
    ...describe(declared),
    execute: async (services, raw) => declared.run(services, await input(services, raw)),
    ...(csv === undefined
      ? {}
      : {
          csv: {
            fileName: csv.fileName,
            columns: csv.columns,
            open: async (services: AdminServices, raw: RawAdminInput) => csvStream(csv.columns, await csv.rows(services, await input(services, raw))),
          },
        }),
  };
}

/** An operation of the installation, outside any client. */
export function installationOperation<P extends TObject, Q extends TObject, B extends TObject, R extends TSchema>(
  declared: Declaration<P, Q, B, R, string, object>,
): AdminOperation {
  return {
    ...describe(declared),
    execute: (services, raw) => declared.run(services, parseAll(declared, raw)),
  };
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
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last !== undefined ? last.id : null };
}
