import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_CACHE_TTL_MS, Authenticator } from '../../src/core/auth.js';
import { ADMIN_TOKEN, DATABASES, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';
import { signedInOperator } from '../helpers/sessions.js';

describe.each(DATABASES)('token rotation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  /** An integration API call with `token`: its HTTP status and 90xx code (0: answered with the lot values). */
  async function useToken(tenant: Pick<Tenant, 'code'>, token: string) {
    const response = await t.post(`/api/${tenant.code}/v1/permits/lot-values`, { apiToken: token });
    return { status: response.status, code: response.status === 200 && Array.isArray(response.body) ? 0 : response.body.ErrorCode };
  }
  const rotate = (tenant: Tenant, tokenId: number, body: object) =>
    t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/tokens/${tokenId}/rotate`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: body,
    });

  it('issues a new token of the same integration and scopes; the old one works during its grace, then answers 9034 even while cached', async () => {
    const tenant = await t.tenant({ scopes: ['lot-values', 'plate-validate'] });
    expect(await useToken(tenant, tenant.token)).toEqual({ status: 200, code: 0 });

    const response = await rotate(tenant, tenant.tokenId, { grace_seconds: 2 });
    expect(response.statusCode).toBe(201);
    const rotated = response.json();
    expect(rotated).toMatchObject({ integration_id: tenant.integrationId, scopes: ['lot-values', 'plate-validate'] });
    expect(rotated.token).toMatch(/^pc-[A-Za-z0-9]{44}$/);
    expect(rotated.id).not.toBe(tenant.tokenId);
    expect(rotated.replaced).toMatchObject({ id: tenant.tokenId, rotated_to: rotated.id, revoked_at: null });
    const graceEnds = Date.parse(rotated.replaced.expires_at);
    expect(graceEnds - Date.parse(rotated.created_at)).toBeGreaterThanOrEqual(1900);
    expect(graceEnds - Date.parse(rotated.created_at)).toBeLessThanOrEqual(2100);

    // both work now; the old one's record is now in the authenticator's cache (5 s)
    expect(await useToken(tenant, tenant.token)).toEqual({ status: 200, code: 0 });
    expect(await useToken(tenant, rotated.token)).toEqual({ status: 200, code: 0 });
    await sleep(Math.max(0, graceEnds - Date.now()) + 100);
    expect(await useToken(tenant, tenant.token)).toEqual({ status: 401, code: 9034 });
    expect(await useToken(tenant, rotated.token)).toEqual({ status: 200, code: 0 });

    const tokens = await t.admin('GET', `/clients/${tenant.code}/tokens`);
    expect(tokens.items).toEqual([
      expect.objectContaining({ id: tenant.tokenId, rotated_to: rotated.id, expires_at: rotated.replaced.expires_at, revoked_at: null }),
      expect.objectContaining({ id: rotated.id, rotated_to: null, expires_at: null, scopes: ['lot-values', 'plate-validate'] }),
    ]);
  });

  it("refuses a rotated token from its record in the authenticator's cache once its grace has ended", async () => {
    // An authenticator of its own, with no last-use write (which clears the cache) in between:
    // the second call is answered from the record cached by the first, after the grace ended.
    const authenticator = new Authenticator(t.database.db);
    const tenant = await t.tenant();
    const rotated = (await rotate(tenant, tenant.tokenId, { grace_seconds: 1 })).json();
    await expect(authenticator.authenticate(tenant.code, tenant.token, 'lot-values')).resolves.toMatchObject({ tokenId: tenant.tokenId });
    await sleep(Math.max(0, Date.parse(rotated.replaced.expires_at) - Date.now()) + 50);
    expect(Date.now() - Date.parse(rotated.created_at)).toBeLessThan(AUTH_CACHE_TTL_MS);
    await expect(authenticator.authenticate(tenant.code, tenant.token, 'lot-values')).rejects.toMatchObject({ code: 9034 });
    await expect(authenticator.authenticate(tenant.code, rotated.token, 'lot-values')).resolves.toMatchObject({ tokenId: rotated.id });
  });

  it('ends the old token at once with a grace of 0, and keeps it an hour by default', async () => {
    const tenant = await t.tenant();
    const now = (await rotate(tenant, tenant.tokenId, { grace_seconds: 0 })).json();
    expect(await useToken(tenant, tenant.token)).toEqual({ status: 401, code: 9034 });
    expect(await useToken(tenant, now.token)).toEqual({ status: 200, code: 0 });

    const byDefault = await rotate(tenant, now.id, {});
    expect(byDefault.statusCode).toBe(201);
    const grace = Date.parse(byDefault.json().replaced.expires_at) - Date.parse(byDefault.json().created_at);
    expect(Math.abs(grace - 3_600_000)).toBeLessThan(1000);
    expect(await useToken(tenant, now.token)).toEqual({ status: 200, code: 0 });
  });

  it('refuses a revoked, an already rotated and an unknown token, and a grace out of bounds', async () => {
    const tenant = await t.tenant();
    const first = (await rotate(tenant, tenant.tokenId, { grace_seconds: 60 })).json();
    const again = await rotate(tenant, tenant.tokenId, { grace_seconds: 60 });
    expect([again.statusCode, again.json()]).toEqual([
      409,
      { error: `token ${tenant.tokenId} was already rotated to token ${first.id}: rotate that one`, field: 'id' },
    ]);
    await t.admin('DELETE', `/clients/${tenant.code}/tokens/${first.id}`);
    const revoked = await rotate(tenant, first.id, {});
    expect([revoked.statusCode, revoked.json()]).toEqual([409, { error: `token ${first.id} is revoked: issue a new token instead`, field: 'id' }]);
    // revoking the new token does not end the old one's grace
    expect(await useToken(tenant, tenant.token)).toEqual({ status: 200, code: 0 });

    const other = await t.tenant();
    const theirs = await rotate(other, tenant.tokenId, {});
    expect([theirs.statusCode, theirs.json()]).toEqual([404, { error: `no token ${tenant.tokenId} for this client`, field: 'id' }]);
    for (const [body, error] of [
      [{ grace_seconds: -1 }, 'grace_seconds: must be at least 0'],
      [{ grace_seconds: 604_801 }, 'grace_seconds: must be at most 604800'],
      [{ grace_seconds: 1.5 }, expect.stringMatching(/^grace_seconds: must be a whole number/)],
      [{ grace_seconds: '60' }, expect.stringMatching(/^grace_seconds: must be a whole number/)],
    ] as const) {
      const refused = await rotate(other, other.tokenId, body);
      expect([refused.statusCode, refused.json()]).toEqual([400, { error, field: 'grace_seconds' }]);
    }
    const expired = (await rotate(other, other.tokenId, { grace_seconds: 0 })).json();
    await t.admin('DELETE', `/clients/${other.code}/tokens/${expired.id}`);
    const noSuch = await rotate(other, 2_147_483_647, {});
    expect(noSuch.statusCode).toBe(404);
  });

  it('lets only admins rotate; an officer or finance operator is refused and the token stays', async () => {
    const tenant = await t.tenant();
    for (const role of ['officer', 'finance'] as const) {
      const operator = await signedInOperator(t, role, tenant.code);
      const refused = await operator.call('POST', `/clients/${tenant.code}/tokens/${tenant.tokenId}/rotate`, { grace_seconds: 0 });
      expect([refused.statusCode, refused.json()]).toEqual([
        403,
        { error: `${role === 'officer' ? 'an officer' : 'a finance operator'} of client ${tenant.code} may not run tokens rotate` },
      ]);
    }
    expect(await useToken(tenant, tenant.token)).toEqual({ status: 200, code: 0 });
    const admin = await signedInOperator(t, 'admin', tenant.code);
    const rotated = await admin.call('POST', `/clients/${tenant.code}/tokens/${tenant.tokenId}/rotate`, { grace_seconds: 30 });
    expect(rotated.statusCode).toBe(201);
    const actions = await t.admin('GET', `/operator-actions?client=${tenant.code}&resource=tokens`);
    expect(actions.items.map((action: { action: string; status: number }) => [action.action, action.status])).toEqual([
      ['rotate', 201],
      ['rotate', 403],
      ['rotate', 403],
      ['create', 201],
    ]);
  });
});
