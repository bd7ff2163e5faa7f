import fs from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'parking-controller.lock';

export class DataDirLockedError extends Error {}

/**
 * Who holds the lock. A pid alone is not an identity: after a crash or a container restart the
 * pid may belong to another process, which must not keep the directory locked. So the lock also
 * records the process's start time and the boot it started in, where the system tells them.
 */
interface LockOwner {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  readonly start?: string;
  /** /proc/sys/kernel/random/boot_id: start times count from this boot. */
  readonly boot?: string;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The start time of a process in clock ticks since boot (Linux), or undefined where /proc does not tell. */
function processStartTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses:
  // the fields after the last ')' start at field 3, so field 22 is the 20th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

function bootId(): string | undefined {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function currentOwner(): LockOwner {
  const start = processStartTime(process.pid);
  const boot = bootId();
  return { pid: process.pid, ...(start === undefined ? {} : { start }), ...(boot === undefined ? {} : { boot }) };
}

/** The lock file's owner: JSON `{"pid","start","boot"}`, or a bare pid as earlier versions wrote it. */
function parseOwner(text: string): LockOwner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || !('pid' in parsed)) return undefined;
  const { pid } = parsed;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  const start = 'start' in parsed && typeof parsed.start === 'string' ? parsed.start : undefined;
  const boot = 'boot' in parsed && typeof parsed.boot === 'string' ? parsed.boot : undefined;
  return { pid, ...(start === undefined ? {} : { start }), ...(boot === undefined ? {} : { boot }) };
}

/**
 * Whether the recorded owner still runs: a process with its pid is alive and, where /proc tells,
 * started at the recorded time in the same boot. Where the system cannot tell (no /proc, or a
 * lock without a start time), a live pid counts as the owner.
 */
function ownerRuns(owner: LockOwner): boolean {
  if (!isAlive(owner.pid)) return false;
  if (owner.boot !== undefined) {
    const boot = bootId();
    if (boot !== undefined && boot !== owner.boot) return false;
  }
  if (owner.start !== undefined) {
    const start = processStartTime(owner.pid);
    if (start !== undefined && start !== owner.start) return false;
  }
  return true;
}

/** The owner recorded in a lock file, if it still runs and is not this process. */
function liveOwner(lockPath: string): LockOwner | undefined {
  const text = readText(lockPath);
  if (text === undefined) return undefined;
  const owner = parseOwner(text);
  if (owner === undefined || owner.pid === process.pid || !ownerRuns(owner)) return undefined;
  return owner;
}

/** The pid of the process that holds the embedded data directory, if one runs. */
export function dataDirHolder(dataDir: string): number | undefined {
  return liveOwner(path.join(dataDir, LOCK_FILE))?.pid;
}

/**
 * Takes the embedded data directory for this process. PGlite is one session in one process:
 * two processes writing one directory silently lose data, so a second one is refused. A lock
 * left by a process that no longer runs (its pid gone, or now another process's) is taken
 * over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${JSON.stringify(currentOwner())}\n`, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = liveOwner(lockPath);
      if (holder !== undefined) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by process ${holder.pid}. The embedded database serves one process only; ` +
            'stop that process, use another DATA_DIR, or run on PostgreSQL with DATABASE_URL.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dataDir}`);
}
