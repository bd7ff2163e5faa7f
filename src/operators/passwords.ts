import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Operator passwords: scrypt (node:crypto) with a random salt per account. The stored form
 * carries its parameters, `scrypt$N$r$p$salt$hash` (salt and hash in base64url), so the cost can
 * be raised later without making existing hashes unreadable.
 */

/** N = 2^15, r = 8, p = 1: 32 MiB and some 50–100 ms per hash on a small server. */
const CURRENT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** scrypt needs 128 · N · r bytes; Node's default ceiling is exactly 32 MiB, which N = 2^15 reaches. */
const MAX_MEMORY = 128 * 2 ** 20;
const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, { ...options, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, CURRENT);
  return `scrypt$${CURRENT.N}$${CURRENT.r}$${CURRENT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` is the one `stored` was made from; the keys are compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (match === null) return false;
  const [, N, r, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? '', 'base64url');
  const key = await derive(password, Buffer.from(salt ?? '', 'base64url'), expected.length, { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, checked when the username is unknown so that an unknown name
 * costs the same time as a wrong password and the answer's timing does not tell them apart.
 */
export function unknownAccountHash(): Promise<string> {
  unknownAccount ??= hashPassword(randomBytes(18).toString('base64url'));
  return unknownAccount;
}
let unknownAccount: Promise<string> | undefined;
