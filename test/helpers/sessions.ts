import type { TestApp } from './app.js';

const PASSWORD = 'correct horse battery';
let counter = 0;

/** A signed-in operator of a role (of one client, or of every client), calling the admin API with its cookie. */
export async function signedInOperator(t: TestApp, role: 'admin' | 'officer' | 'finance', client?: string) {
  const username = `${role}.${process.pid}.${++counter}`;
  await t.admin('POST', '/operators', { username, display_name: `The ${role}`, role, password: PASSWORD, ...(client === undefined ? {} : { client }) });
  const signIn = await t.app.inject({ method: 'POST', url: '/admin/v1/session', payload: { username, password: PASSWORD } });
  const cookie = signIn.cookies.find((c) => c.name === 'pc_session');
  if (signIn.statusCode !== 200 || cookie === undefined) throw new Error(`sign-in of ${username} answered ${signIn.statusCode}: ${signIn.body}`);
  const csrf: string = signIn.json().csrf_token;
  return {
    call: (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({
        method,
        url: `/admin/v1${url}`,
        headers: { cookie: `pc_session=${cookie.value}`, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }) },
        ...(payload === undefined ? {} : { payload }),
      }),
  };
}
