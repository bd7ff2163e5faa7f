import { createParkingClient } from '../../packages/client/index.js';
import { ApiProblem, problemFrom } from './lib/problems.js';
import { readSession, type Session } from './lib/records.js';

/** The session's CSRF token, sent with every request that changes state. */
let csrfToken: string | undefined;

/** The typed client of the admin API, on the page's own origin with the session cookie. */
export const api = createParkingClient({ baseUrl: window.location.origin, csrfToken: () => csrfToken });

/** A call's answer, or its refusal thrown as an ApiProblem (the server's sentence and field). */
export async function answerOf(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<unknown> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemFrom(response.status, error);
  return data;
}

const SESSION_URL = '/admin/v1/session';

async function sessionCall(init: RequestInit): Promise<Response> {
  return fetch(SESSION_URL, { credentials: 'same-origin', ...init });
}

async function readBody(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  return type.includes('application/json') ? response.json() : undefined;
}

function remember(session: Session): Session {
  csrfToken = session.csrfToken;
  return session;
}

/** The signed-in operator's session, or null when the cookie is missing or has expired. */
export async function currentSession(): Promise<Session | null> {
  const response = await sessionCall({ method: 'GET' });
  if (response.status === 401) {
    csrfToken = undefined;
    return null;
  }
  if (!response.ok) throw problemFrom(response.status, await readBody(response));
  return remember(readSession(await readBody(response)));
}

/** Signs in; a wrong password (401) or a locked account (423) throws the server's sentence. */
export async function signIn(username: string, password: string): Promise<Session> {
  const response = await sessionCall({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw problemFrom(response.status, await readBody(response));
  return remember(readSession(await readBody(response)));
}

/** Ends the session on the server; a session that had already ended is signed out all the same. */
export async function signOut(): Promise<void> {
  const response = await sessionCall({ method: 'DELETE', headers: csrfToken === undefined ? {} : { 'x-csrf-token': csrfToken } });
  csrfToken = undefined;
  if (!response.ok && response.status !== 401) throw problemFrom(response.status, await readBody(response));
}

export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 401;
}
