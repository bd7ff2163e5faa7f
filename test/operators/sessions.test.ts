import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DATABASES, NO_RATE_LIMITS, startTestApp, type Tenant, type TestApp } from '../helpers/app.js';

const PASSWORD = 'correct horse battery';

/** A signed-in operator: its cookie header and CSRF token, as a browser would keep them. */
interface Signed {
  readonly cookie: string;
  readonly csrf: string;
  readonly answer: { operator: Record<string, unknown>; csrf_token: string; expires_at: string };
}

describe.each(DATABASES)('operator sessions on %s', (kind) => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let counter = 0;

  beforeAll(async () => {
    // a proxy's X-Forwarded-Proto is believed, so a request "over https" can be made
    t = await startTestApp(kind, { ...NO_RATE_LIMITS, trustProxy: true });
    tenant = await t.tenant();
    other = await t.tenant();
  });
  afterAll(() => t.close());

  async function operator(role: 'admin' | 'officer' | 'finance', client?: string, password = PASSWORD): Promise<string> {
    const username = `${role}.${++counter}`;
    await t.admin('POST', '/operators', { username, display_name: `The ${role}`, role, password, ...(client === undefined ? {} : { client }) });
    return username;
  }

  function signInRequest(username: string, password: string, headers: Record<string, string> = {}) {
    return t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username, password }, headers });
  }

  async function signIn(username: string, password = PASSWORD): Promise<Signed> {
    const response = await signInRequest(username, password);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'pc_session');
    expect(cookie).toBeDefined();
    return { cookie: `pc_session=${cookie!.value}`, csrf: response.json().csrf_token, answer: response.json() };
  }

  function call(signed: Signed, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, csrf = true) {
    return t.app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { cookie: signed.cookie, ...(csrf && method !== 'GET' ? { 'x-csrf-token': signed.csrf } : {}) },
      ...(payload === undefined ? {} : { payload }),
    });
  }

  it('signs in: the operator, a CSRF token, the expiry, and an HttpOnly SameSite=Strict cookie', async () => {
    const username = await operator('officer', tenant.code);
    const before = Date.now();
    const response = await signInRequest(username.toUpperCase(), PASSWORD);
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer).toEqual({
      operator: { id: expect.any(Number), username, display_name: 'The officer', role: 'officer', client_code: tenant.code },
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expires_at: expect.any(String),
    });
    const expires = Date.parse(answer.expires_at);
    expect(expires - before).toBeGreaterThanOrEqual(29 * 60_000);
    expect(expires - before).toBeLessThanOrEqual(31 * 60_000);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^pc_session=[A-Za-z0-9_-]{43};/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/');
    expect(header).not.toContain('Secure');
    // the session id is kept only as a hash
    const id = /^pc_session=([^;]+)/.exec(header)![1]!;
    const stored = await t.database.db.selectFrom('operator_sessions').select('id_hash').execute();
    expect(stored.map((row) => row.id_hash)).not.toContain(id);

    const session = await t.app.inject({ method: 'GET', url: '/admin/v1/session', headers: { cookie: `pc_session=${id}` } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ operator: answer.operator, csrf_token: answer.csrf_token });

    const overHttps = await signInRequest(username, PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(String(overHttps.headers['set-cookie'])).toContain('Secure');
  });

  it('answers a wrong password, an unknown name and a disabled account alike (401)', async () => {
    const username = await operator('admin');
    const disabled = await operator('admin');
    await t.admin('POST', `/operators/${disabled}/disable`);
    for (const [name, password] of [
      [username, 'not the password at all'],
      ['nobody-here', PASSWORD],
      [disabled, PASSWORD],
    ] as const) {
      const response = await signInRequest(name, password);
      expect([response.statusCode, response.json()]).toEqual([401, { error: 'wrong username or password' }]);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const missing = await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username } });
    expect([missing.statusCode, missing.json()]).toEqual([400, { error: 'password: required', field: 'password' }]);
  });

  it('locks an account after 5 wrong passwords in a row for 15 minutes (423, even with the right one); enable lifts it', async () => {
    const username = await operator('officer', tenant.code);
    // a success in between starts the count over
    for (let i = 0; i < 4; i++) expect((await signInRequest(username, 'wrong password ' + i)).statusCode).toBe(401);
    await signIn(username);
    for (let i = 0; i < 4; i++) expect((await signInRequest(username, 'wrong password ' + i)).statusCode).toBe(401);
    const before = Date.now();
    expect((await signInRequest(username, 'the fifth wrong one')).statusCode).toBe(401);
    const locked = await signInRequest(username, PASSWORD);
    expect(locked.statusCode).toBe(423);
    const until = /^this account is locked until (\S+)$/.exec(locked.json().error)?.[1];
    expect(until).toBeDefined();
    const lockedFor = Date.parse(until!) - before;
    expect(lockedFor).toBeGreaterThan(14 * 60_000);
    expect(lockedFor).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    expect((await t.admin('GET', `/operators/${username}`)).locked_until).toBe(until);

    await t.admin('POST', `/operators/${username}/enable`);
    await signIn(username);
  });

  it('counts failed sign-ins per address and refuses the address (429) over the limit', async () => {
    const limited = await startTestApp(kind, { ...NO_RATE_LIMITS, authFailuresPerMinute: 3 });
    try {
      await limited.admin('POST', '/operators', { username: 'someone', display_name: 'S', role: 'admin', password: PASSWORD });
      const attempt = (password: string) => limited.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username: 'someone', password } });
      for (let i = 0; i < 3; i++) expect((await attempt(`wrong password ${i}`)).statusCode).toBe(401);
      const refused = await attempt(PASSWORD);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });

  it('signs out: 204, the cookie cleared, the session gone', async () => {
    const signed = await signIn(await operator('finance', tenant.code));
    const noToken = await call(signed, 'DELETE', '/session', undefined, false);
    expect([noToken.statusCode, noToken.json().field]).toEqual([403, 'x-csrf-token']);
    const out = await call(signed, 'DELETE', '/session');
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'pc_session');
    expect(cleared?.value).toBe('');
    expect((cleared?.expires?.getTime() ?? Infinity) <= Date.now() || cleared?.maxAge === 0).toBe(true);
    const after = await call(signed, 'GET', '/session');
    expect([after.statusCode, after.json()]).toEqual([401, { error: 'the session has ended: sign in again' }]);
    expect((await call(signed, 'GET', `/clients/${tenant.code}/lots`)).statusCode).toBe(401);
    // signing out again, or without a session, is harmless
    expect((await call(signed, 'DELETE', '/session')).statusCode).toBe(204);
  });

  it('ends a session at once when its operator is disabled, or its password is set', async () => {
    const username = await operator('officer', tenant.code);
    const signed = await signIn(username);
    expect((await call(signed, 'GET', `/clients/${tenant.code}/vehicles`)).statusCode).toBe(200);
    await t.admin('POST', `/operators/${username}/disable`);
    expect((await call(signed, 'GET', `/clients/${tenant.code}/vehicles`)).statusCode).toBe(401);
    // a session row left by a disable racing a sign-in is refused too: the operator is read at every request
    await t.admin('POST', `/operators/${username}/enable`);
    const again = await signIn(username);
    await t.database.db.updateTable('operators').set({ disabled: true }).where('username', '=', username).execute();
    expect((await call(again, 'GET', `/clients/${tenant.code}/vehicles`)).statusCode).toBe(401);
    await t.admin('POST', `/operators/${username}/enable`);

    const third = await signIn(username);
    await t.admin('PUT', `/operators/${username}/password`, { password: 'a brand new password' });
    expect((await call(third, 'GET', `/clients/${tenant.code}/vehicles`)).statusCode).toBe(401);
    expect((await signInRequest(username, PASSWORD)).statusCode).toBe(401);
    await signIn(username, 'a brand new password');
  });

  it('ends a session after the idle time and after 12 hours however active', async () => {
    const username = await operator('admin');
    const idle = await signIn(username);
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await t.database.db
      .updateTable('operator_sessions')
      .set({ last_seen_at: minutesAgo(29) })
      .where('csrf_token', '=', idle.csrf)
      .execute();
    expect((await call(idle, 'GET', '/session')).statusCode).toBe(200);
    // that call was a use: the idle time starts over from it
    await t.database.db
      .updateTable('operator_sessions')
      .set({ last_seen_at: minutesAgo(31) })
      .where('csrf_token', '=', idle.csrf)
      .execute();
    expect((await call(idle, 'GET', '/clients')).statusCode).toBe(401);
    expect(await t.database.db.selectFrom('operator_sessions').select('id_hash').where('csrf_token', '=', idle.csrf).execute()).toEqual([]);

    const long = await signIn(username);
    await t.database.db
      .updateTable('operator_sessions')
      .set({ created_at: minutesAgo(12 * 60 + 1) })
      .where('csrf_token', '=', long.csrf)
      .execute();
    expect((await call(long, 'GET', '/session')).statusCode).toBe(401);
  });

  it('takes the idle minutes from the app options', async () => {
    const short = await startTestApp(kind, NO_RATE_LIMITS, { idleMinutes: 1 });
    try {
      await short.admin('POST', '/operators', { username: 'brief', display_name: 'B', role: 'admin', password: PASSWORD });
      const response = await short.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username: 'brief', password: PASSWORD } });
      expect(Date.parse(response.json().expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
      const cookie = `pc_session=${response.cookies.find((c) => c.name === 'pc_session')!.value}`;
      await short.database.db
        .updateTable('operator_sessions')
        .set({ last_seen_at: new Date(Date.now() - 61_000) })
        .execute();
      expect((await short.app.inject({ method: 'GET', url: '/admin/v1/session', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('refuses a change without the CSRF token (403), accepts it with the token; bearer calls need none', async () => {
    const signed = await signIn(await operator('admin'));
    const lot = { name: `Lot ${counter}`, lot_type: 'M' };
    const none = await call(signed, 'POST', `/clients/${tenant.code}/lots`, lot, false);
    expect(none.statusCode).toBe(403);
    expect(none.json()).toEqual({ error: "a request that changes something must carry the session's CSRF token in x-csrf-token", field: 'x-csrf-token' });
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/lots`,
      headers: { cookie: signed.cookie, 'x-csrf-token': signed.csrf.slice(1) + 'x' },
      payload: lot,
    });
    expect(wrong.statusCode).toBe(403);
    const anotherSessions = await signIn(await operator('admin'));
    const crossed = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/lots`,
      headers: { cookie: signed.cookie, 'x-csrf-token': anotherSessions.csrf },
      payload: lot,
    });
    expect(crossed.statusCode).toBe(403);
    expect((await t.admin('GET', `/clients/${tenant.code}/lots`)).items.map((l: { name: string }) => l.name)).not.toContain(lot.name);
    const accepted = await call(signed, 'POST', `/clients/${tenant.code}/lots`, lot);
    expect(accepted.statusCode).toBe(201);
    // reads need no token
    expect((await call(signed, 'GET', `/clients/${tenant.code}/lots`, undefined, false)).statusCode).toBe(200);
    // the admin token works as before, without a CSRF token, even beside a cookie
    const bearer = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/clients/${tenant.code}/lots`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, cookie: signed.cookie },
      payload: { name: `Lot bearer ${counter}`, lot_type: 'M' },
    });
    expect(bearer.statusCode).toBe(201);
  });

  it('lets each role call only its operations', async () => {
    const vehicle = await t.admin('POST', `/clients/${tenant.code}/vehicles`, { plate: 'ROLE1', plateType: 'Passenger', prov: 'ON' });
    const officer = await signIn(await operator('officer', tenant.code));
    const plate = await call(officer, 'GET', `/clients/${tenant.code}/vehicles?plate=role-1`);
    expect([plate.statusCode, plate.json().items.map((v: { id: number }) => v.id)]).toEqual([200, [vehicle.id]]);
    expect((await call(officer, 'GET', `/clients/${tenant.code}/permits?plate=ROLE1`)).statusCode).toBe(200);
    expect((await call(officer, 'GET', `/clients/${tenant.code}/lots`)).statusCode).toBe(200);
    const dntt = await call(officer, 'POST', `/clients/${tenant.code}/dntt`, { plate: 'ROLE1', start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' });
    expect(dntt.statusCode).toBe(201);
    expect((await call(officer, 'PUT', `/clients/${tenant.code}/vehicles/${vehicle.id}/alert`, { text: 'stolen' })).statusCode).toBe(200);
    const token = await call(officer, 'POST', `/clients/${tenant.code}/tokens`, { integration: tenant.integrationId, scopes: 'all' });
    expect([token.statusCode, token.json()]).toEqual([403, { error: `an officer of client ${tenant.code} may not run tokens create` }]);
    expect((await call(officer, 'GET', `/clients/${tenant.code}/tokens`)).statusCode).toBe(403);
    expect((await call(officer, 'POST', `/clients/${tenant.code}/lots`, { name: 'Officer lot', lot_type: 'M' })).statusCode).toBe(403);
    expect((await call(officer, 'GET', '/operators')).json()).toEqual({ error: `an officer of client ${tenant.code} may not run operators list` });
    expect((await call(officer, 'GET', `/clients/${other.code}/vehicles`)).statusCode).toBe(404);

    const finance = await signIn(await operator('finance', tenant.code));
    for (const url of ['/violations', '/tokens', '/audit', '/collections-batches', '/lots', '/integrations'])
      expect((await call(finance, 'GET', `/clients/${tenant.code}${url}`)).statusCode).toBe(200);
    const write = await call(finance, 'POST', `/clients/${tenant.code}/dntt`, { plate: 'X1', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' });
    expect([write.statusCode, write.json()]).toEqual([403, { error: `a finance operator of client ${tenant.code} may not run dntt create` }]);
    expect((await call(finance, 'DELETE', `/clients/${tenant.code}/vehicles/${vehicle.id}/alert`)).statusCode).toBe(403);

    const clientAdmin = await signIn(await operator('admin', tenant.code));
    expect((await call(clientAdmin, 'POST', `/clients/${tenant.code}/lots`, { name: 'Client admin lot', lot_type: 'Y' })).statusCode).toBe(201);
    expect((await call(clientAdmin, 'GET', `/clients/${tenant.code}/tokens`)).statusCode).toBe(200);
    const another = await call(clientAdmin, 'GET', `/clients/${other.code}/lots`);
    const unknown = await call(clientAdmin, 'GET', '/clients/NO_SUCH_CLIENT/lots');
    expect([another.statusCode, another.json()]).toEqual([404, { error: `no client with code ${other.code}`, field: 'code' }]);
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'no client with code NO_SUCH_CLIENT', field: 'code' }]);
    expect((await call(clientAdmin, 'GET', '/clients')).statusCode).toBe(403);
    expect((await call(clientAdmin, 'POST', '/operators', { username: 'made', display_name: 'M', role: 'admin', password: PASSWORD })).statusCode).toBe(403);

    const installationAdmin = await signIn(await operator('admin'));
    expect((await call(installationAdmin, 'GET', `/clients/${other.code}/lots`)).statusCode).toBe(200);
    expect((await call(installationAdmin, 'GET', '/clients')).statusCode).toBe(200);
    const made = await call(installationAdmin, 'POST', '/operators', { username: `made.${counter}`, display_name: 'M', role: 'officer', password: PASSWORD });
    expect(made.statusCode).toBe(201);
  });

  it('applies a role change at the next request', async () => {
    const username = await operator('finance', tenant.code);
    const signed = await signIn(username);
    const dntt = { plate: 'RC1', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' };
    expect((await call(signed, 'POST', `/clients/${tenant.code}/dntt`, dntt)).statusCode).toBe(403);
    await t.admin('PATCH', `/operators/${username}`, { role: 'officer' });
    expect((await call(signed, 'POST', `/clients/${tenant.code}/dntt`, dntt)).statusCode).toBe(201);
  });

  it('manages operators: create, list with paging, show, update; never the password or its hash', async () => {
    const created = await t.admin('POST', '/operators', {
      username: 'Jane.Doe',
      display_name: 'Jane Doe',
      role: 'finance',
      client: tenant.code,
      password: PASSWORD,
    });
    expect(created).toEqual({
      id: expect.any(Number),
      username: 'Jane.Doe',
      display_name: 'Jane Doe',
      role: 'finance',
      client_code: tenant.code,
      disabled: false,
      locked_until: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const create = (payload: object) => t.app.inject({ method: 'POST', url: '/admin/v1/operators', headers, payload });
    const duplicate = await create({ username: 'jane.doe', display_name: 'J', role: 'admin', password: PASSWORD });
    expect([duplicate.statusCode, duplicate.json().field]).toEqual([409, 'username']);
    const short = await create({ username: 'shorty', display_name: 'S', role: 'admin', password: 'elevenchars' });
    expect([short.statusCode, short.json()]).toEqual([400, { error: 'password: must be at least 12 characters', field: 'password' }]);
    const role = await create({ username: 'roled', display_name: 'R', role: 'boss', password: PASSWORD });
    expect([role.statusCode, role.json().field]).toEqual([400, 'role']);
    const client = await create({ username: 'lost', display_name: 'L', role: 'admin', client: 'NOWHERE', password: PASSWORD });
    expect([client.statusCode, client.json()]).toEqual([404, { error: 'no client with code NOWHERE', field: 'client' }]);
    const name = await create({ username: 'has space', display_name: 'H', role: 'admin', password: PASSWORD });
    expect([name.statusCode, name.json().field]).toEqual([400, 'username']);
    const reserved = await create({ username: 'CLI', display_name: 'C', role: 'admin', password: PASSWORD });
    expect([reserved.statusCode, reserved.json().field]).toEqual([400, 'username']);

    const first = await t.admin('GET', '/operators?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.next_cursor).toBe(first.items[0].id);
    const all = await t.admin('GET', '/operators?limit=1000');
    expect(all.next_cursor).toBeNull();
    expect(all.items.map((o: { username: string }) => o.username)).toContain('Jane.Doe');
    expect(JSON.stringify(all)).not.toMatch(/scrypt|password/);

    expect(await t.admin('GET', '/operators/JANE.DOE')).toEqual(created);
    const updated = await t.admin('PATCH', '/operators/jane.doe', { display_name: 'Jane D.', role: 'admin', client: null });
    expect(updated).toMatchObject({ display_name: 'Jane D.', role: 'admin', client_code: null });
    const unknown = await t.app.inject({ method: 'GET', url: '/admin/v1/operators/nobody', headers });
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'no operator named nobody', field: 'username' }]);

    // the password is stored as a salted scrypt hash with its parameters
    const rows = await t.database.db.selectFrom('operators').select(['username', 'password_hash']).where('username', 'in', ['Jane.Doe', 'roled']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const secondHash = await t.admin('POST', '/operators', { username: 'same.password', display_name: 'S', role: 'admin', password: PASSWORD });
    const hashes = await t.database.db.selectFrom('operators').select('password_hash').where('id', 'in', [created.id, secondHash.id]).execute();
    expect(new Set(hashes.map((h) => h.password_hash)).size).toBe(2);
  });

  it('records every change an operator, the admin token or a refused call makes; operator-actions lists them', async () => {
    const username = await operator('officer', tenant.code);
    const signed = await signIn(username);
    const operatorId = signed.answer.operator.id;
    await call(signed, 'POST', `/clients/${tenant.code}/dntt`, { plate: 'AUD1', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' });
    await call(signed, 'POST', `/clients/${tenant.code}/tokens`, { integration: tenant.integrationId, scopes: 'all' });
    await call(signed, 'GET', `/clients/${tenant.code}/dntt`);
    await call(signed, 'DELETE', '/session');

    const mine = await t.admin('GET', `/operator-actions?operator=${username.toUpperCase()}`);
    expect(mine.items.map((a: Record<string, unknown>) => [a.resource, a.action, a.method, a.status])).toEqual([
      ['session', 'sign-out', 'DELETE', 204],
      ['tokens', 'create', 'POST', 403],
      ['dntt', 'create', 'POST', 201],
      ['session', 'sign-in', 'POST', 200],
    ]);
    expect(mine.items[2]).toMatchObject({ operator_id: operatorId, actor: username, client_code: tenant.code, params: { code: tenant.code } });

    const byToken = await t.admin('GET', `/operator-actions?operator=admin-token&client=${tenant.code.toLowerCase()}&limit=1`);
    expect(byToken.items).toHaveLength(1);
    expect(byToken.items[0]).toMatchObject({ operator_id: null, actor: 'admin-token', client_code: tenant.code });
    expect(byToken.next_cursor).toBe(byToken.items[0].id);
    const older = await t.admin('GET', `/operator-actions?operator=admin-token&client=${tenant.code}&limit=1&cursor=${byToken.next_cursor}`);
    expect(older.items[0].id).toBeLessThan(byToken.items[0].id);

    const future = await t.admin('GET', '/operator-actions?since=2100-01-01T00:00:00Z');
    expect(future.items).toEqual([]);
    const withId = await t.admin('GET', `/operator-actions?operator=admin-token&limit=1000`);
    const passwordSet = withId.items.filter((a: Record<string, unknown>) => a.action === 'set-password');
    for (const action of passwordSet) expect(JSON.stringify(action)).not.toContain('a brand new password');
  });

  it('never writes a password into the log or an answer', async () => {
    const secret = 'never-log-this-secret-42';
    const username = await operator('admin', undefined, secret);
    await signInRequest(username, secret);
    await signInRequest(username, `${secret}-wrong`);
    await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: `{"username":"${username}","password":"${secret}"` });
    await t.app.inject({
      method: 'PUT',
      url: `/admin/v1/operators/${username}/password`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { password: 'short' },
    });
    expect(t.logs.lines.join('')).not.toContain(secret);
    expect(t.logs.lines.join('')).not.toContain('"short"');
    const stored = await t.database.db.selectFrom('operators').select('password_hash').where('username', '=', username).executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(secret);
  });
});
