import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import type { ServerLimits } from '../../src/config.js';
import { openDatabase, type Database, type DatabaseKind } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createScratchDatabase } from './scratch-database.js';

/** The databases every suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DATABASES: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A fresh, migrated database of `kind`: PGlite in memory from the run's template, or a new PostgreSQL database dropped on close. */
export async function freshDatabase(kind: DatabaseKind): Promise<Database & { url?: string }> {
  if (kind === 'pglite') {
    const template = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    return openDatabase({ kind: 'pglite', template });
  }
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'pc_test');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  await migrate(database.db);
  return {
    ...database,
    url: scratch.url,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

/** Log lines the app wrote, for checks that nothing secret is logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.lines.push(chunk.toString());
    callback();
  }
}

export interface Tenant {
  readonly code: string;
  readonly clientId: number;
  readonly integrationId: number;
  readonly token: string;
  readonly tokenId: number;
}

export interface TestApp {
  readonly app: App;
  /** The database, with its URL when it is a PostgreSQL database. */
  readonly database: Database & { readonly url?: string };
  readonly logs: LogCapture;
  /** An admin API call; throws unless it answers `expect` (default 200/201). */
  admin(method: string, url: string, body?: unknown): Promise<any>;
  /** A new client with one integration and a token of every scope (or `scopes`). */
  tenant(options?: { code?: string; scopes?: string[] | 'all'; origin?: string }): Promise<Tenant>;
  /** An integration API call with a JSON body. */
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

let tenantCounter = 0;

/**
 * Suites call one token thousands of times and refuse tokens on purpose from one address: the
 * request limits are off unless a suite about them turns them on.
 */
export const NO_RATE_LIMITS = { perTokenPerMinute: 0, authFailuresPerMinute: 0 } as const;

export async function startTestApp(
  kind: DatabaseKind,
  limits: Partial<ServerLimits> = NO_RATE_LIMITS,
  sessions?: AppOptions['sessions'],
  webhooks?: AppOptions['webhooks'],
): Promise<TestApp> {
  const database = await freshDatabase(kind);
  const logs = new LogCapture();
  const app = await buildApp({
    database,
    adminToken: ADMIN_TOKEN,
    logLevel: 'info',
    logStream: logs,
    limits,
    ...(sessions === undefined ? {} : { sessions }),
    ...(webhooks === undefined ? {} : { webhooks }),
  });
  // As `serve` does: requests come once plate validation's index is loaded.
  await app.enforcement.whenLoaded();

  async function admin(method: string, url: string, body?: unknown) {
    const response = await app.inject({
      method: method as 'GET',
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
    return response.json();
  }

  return {
    app,
    database,
    logs,
    admin,
    async tenant(options = {}) {
      const code = options.code ?? `T_${process.pid}_${++tenantCounter}_${randomBytes(2).toString('hex')}`;
      const client = await admin('POST', '/clients', { code, name: `Test ${code}` });
      const integration = await admin('POST', `/clients/${code}/integrations`, { name: 'Test integration', origin: options.origin ?? 'temp' });
      const token = await admin('POST', `/clients/${code}/tokens`, { integration: integration.id, scopes: options.scopes ?? 'all' });
      return { code, clientId: client.id, integrationId: integration.id, token: token.token, tokenId: token.id };
    },
    async post(url, body, headers = {}) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      let parsed: unknown;
      try {
        parsed = response.json();
      } catch {
        parsed = response.body;
      }
      return { status: response.statusCode, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
