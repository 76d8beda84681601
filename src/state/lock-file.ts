/**
 * An exclusive lock on a local file for one process: `<file>.lock` created with O_EXCL, holding the
 * owner's pid and host. A second process is refused with a clear message; a lock left by a process
 * that no longer runs (kill -9, crash) is taken over.
 */
import { hostname } from 'node:os';
import { openSync, readFileSync, unlinkSync, writeSync, closeSync, fsyncSync } from 'node:fs';

export class LockHeldError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
    readonly host: string,
  ) {
    super(`${lockFile} is held by process ${pid} on ${host}`);
    this.name = 'LockHeldError';
  }
}

export interface FileLock {
  readonly path: string;
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockFile: string): { pid: number; host: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return { pid: parsed.pid, host: parsed.host };
  } catch {
    // Unreadable or half-written: treated as stale below.
  }
  return undefined;
}

export function acquireFileLock(lockFile: string): FileLock {
  const me = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      fsyncSync(fd);
      closeSync(fd);
      let released = false;
      return {
        path: lockFile,
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockFile);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(lockFile);
      // On another host we cannot tell whether the owner still runs: refuse rather than guess.
      if (owner && (owner.host !== me.host || isRunning(owner.pid)) && owner.pid !== me.pid) throw new LockHeldError(lockFile, owner.pid, owner.host);
      if (owner && owner.pid === me.pid && owner.host === me.host) throw new LockHeldError(lockFile, owner.pid, owner.host);
      unlinkSync(lockFile); // stale: its owner is gone
    }
  }
  throw new Error(`could not acquire ${lockFile}`);
}
