import { expect, it } from 'vitest';
import type { TestApp, Tenant } from './app.js';

export interface AuthCaseOptions {
  /** The endpoint for a tenant, e.g. (code) => `/api/${code}/v1/permits/push`. */
  readonly url: (clientCode: string) => string;
  readonly scope: string;
  /**
   * A body that would pass authentication (the token is added by the cases); a function of the
   * client code where the body names the client (plate validation).
   */
  readonly body?: Record<string, unknown> | ((clientCode: string) => Record<string, unknown>);
  /** Reads the error code from a response body (the plate envelope differs). */
  readonly codeOf?: (body: any) => number;
}

/**
 * The authentication cases every integration endpoint must answer alike: missing token,
 * unknown, revoked, another client's, an unknown client, a token without the scope.
 */
export function authCases(getApp: () => TestApp, options: AuthCaseOptions): void {
  const codeOf = options.codeOf ?? ((body: any) => body.ErrorCode);
  const call = (tenant: Pick<Tenant, 'code'>, token: string | undefined) =>
    getApp().post(options.url(tenant.code), {
      ...(typeof options.body === 'function' ? options.body(tenant.code) : (options.body ?? {})),
      ...(token === undefined ? {} : { apiToken: token }),
    });

  it('answers 9001 without a token', async () => {
    const tenant = await getApp().tenant();
    const response = await call(tenant, undefined);
    expect(response.status).toBe(401);
    expect(codeOf(response.body)).toBe(9001);
  });

  it('answers 9034 for an unknown token', async () => {
    const tenant = await getApp().tenant();
    const response = await call(tenant, 'pc-unknownunknownunknownunknownunknownunknown');
    expect(response.status).toBe(401);
    expect(codeOf(response.body)).toBe(9034);
  });

  it('answers 9034 for a revoked token', async () => {
    const tenant = await getApp().tenant();
    await getApp().admin('DELETE', `/clients/${tenant.code}/tokens/${tenant.tokenId}`);
    const response = await call(tenant, tenant.token);
    expect(codeOf(response.body)).toBe(9034);
  });

  it("answers 9034 for another client's valid token, and for an unknown client", async () => {
    const mine = await getApp().tenant();
    const theirs = await getApp().tenant();
    expect(codeOf((await call(mine, theirs.token)).body)).toBe(9034);
    expect(codeOf((await call({ code: 'NO_SUCH_CLIENT' }, mine.token)).body)).toBe(9034);
  });

  it(`answers 9002 for a token without ${options.scope}`, async () => {
    const other = ['permit-create', 'permit-stats', 'plate-validate'].find((scope) => scope !== options.scope)!;
    const tenant = await getApp().tenant({ scopes: [other] });
    const response = await call(tenant, tenant.token);
    expect(response.status).toBe(403);
    expect(codeOf(response.body)).toBe(9002);
  });
}
