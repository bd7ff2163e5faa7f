import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths, components, operations } from './schema.js';

export interface ParkingClientOptions {
  /** The server's address, e.g. `https://parking.example.org` (the page's origin in a browser). */
  readonly baseUrl: string;
  /**
   * The session's CSRF token (from `POST /admin/v1/session`), read at each request: a
   * cookie-authenticated request that changes state must carry it in `x-csrf-token`.
   */
  readonly csrfToken?: () => string | undefined;
  /** A bearer token (the server's ADMIN_TOKEN) for scripts that do not sign in. */
  readonly bearerToken?: string;
  /** The fetch to call; the global one by default (tests pass their own). */
  readonly fetch?: typeof globalThis.fetch;
}

/** Methods that change nothing, for which the server asks no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A typed client of the server's HTTP API: every path, parameter and body of the served
 * OpenAPI document (schema.d.ts) is checked at compile time. Cookies go with requests to the
 * same origin only.
 */
export function createParkingClient(options: ParkingClientOptions): Client<paths> {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    credentials: 'same-origin',
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  client.use({
    onRequest({ request }) {
      if (options.bearerToken !== undefined) request.headers.set('authorization', `Bearer ${options.bearerToken}`);
      const csrfToken = options.csrfToken?.();
      if (csrfToken !== undefined && !SAFE_METHODS.has(request.method)) request.headers.set('x-csrf-token', csrfToken);
      return request;
    },
  });
  return client;
}
