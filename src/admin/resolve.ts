import type { Authenticator, Client } from '../core/auth.js';
import { NotFoundError } from '../core/errors.js';

export async function requireClient(auth: Authenticator, code: string): Promise<Client> {
  const client = await auth.findClient(code);
  if (client === null) throw new NotFoundError(`no client with code ${code}`, 'code');
  return client;
}
