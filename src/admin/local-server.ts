import fs from 'node:fs';
import path from 'node:path';
import { dataDirHolder } from '../db/lock.js';

/**
 * A server on the embedded database holds its data directory, so a command line on the same
 * directory cannot open the database: it sends the operation to the server's admin API instead.
 * The server tells it where and how through this file in the data directory, readable by its
 * user only, written once it listens and removed when it stops.
 */
const SERVER_FILE = 'parking-controller.server.json';

export interface LocalServer {
  /** The admin API's base URL, reachable from this machine. */
  readonly url: string;
  /** A random credential of this run, accepted by the admin API like the admin token. */
  readonly token: string;
  readonly pid: number;
}

export class LocalServerError extends Error {}

export function localServerFile(dataDir: string): string {
  return path.join(dataDir, SERVER_FILE);
}

/** Writes the server file (mode 0600, replacing one a crashed run left); returns its removal. */
export function publishLocalServer(dataDir: string, server: LocalServer): () => void {
  const file = localServerFile(dataDir);
  fs.rmSync(file, { force: true });
  // Created exclusively with its mode: never readable by others, not even for a moment.
  fs.writeFileSync(file, `${JSON.stringify(server)}\n`, { mode: 0o600, flag: 'wx' });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    fs.rmSync(file, { force: true });
  };
}

function parseServer(text: string): LocalServer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || !('url' in parsed && 'token' in parsed && 'pid' in parsed)) return undefined;
  const { url, token, pid } = parsed;
  if (typeof url !== 'string' || typeof token !== 'string' || typeof pid !== 'number') return undefined;
  return { url, token, pid };
}

/**
 * The server that holds `dataDir` now, if it published its address: the file must name the
 * process that holds the data directory's lock (a file left by a server that crashed names
 * none, and is ignored).
 */
export function findLocalServer(dataDir: string): LocalServer | undefined {
  const holder = dataDirHolder(dataDir);
  if (holder === undefined) return undefined;
  const file = localServerFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EACCES') {
      throw new LocalServerError(
        `the server running on ${dataDir} (process ${holder}) can only be reached by its own user: ${file} is not readable here. ` +
          'Run the command as that user, or give --url with ADMIN_TOKEN.',
      );
    }
    throw error;
  }
  const server = parseServer(text);
  return server?.pid === holder ? server : undefined;
}
