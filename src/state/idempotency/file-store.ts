/**
 * Idempotency records in a JSON-lines file beside the usage ledger (the embedded default), so a
 * retry after a restart still gets the first answer. Finished records are appended and fsync'd
 * before the answer is released; unfinished claims stay in memory (they die with the process).
 * At start the file is streamed, expired records dropped, and the file rewritten when most of it
 * has expired. One process per file (lock file, as the ledger).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { forEachLine } from '../line-reader.ts';
import { acquireFileLock, type FileLock } from '../lock-file.ts';
import { IdempotencyTable, type IdempotencyStore } from './store.ts';

interface Line {
  o: string;
  k: string;
  h: string;
  s: number;
  r: string;
  e: number;
}

export async function openFileIdempotencyStore(file: string, now: () => Date = () => new Date()): Promise<IdempotencyStore> {
  mkdirSync(path.dirname(file), { recursive: true });
  const lock: FileLock = acquireFileLock(`${file}.lock`);
  const table = new IdempotencyTable();
  let lines = 0;
  try {
    if (existsSync(file)) {
      const t = now().getTime();
      await forEachLine(file, 0, (text) => {
        lines++;
        try {
          const l = JSON.parse(text) as Line;
          if (l.e > t) table.records.set(`${l.o}\u0000${l.k}`, { requestHash: l.h, expiresAt: l.e, lockedUntil: 0, answer: { status: l.s, sealed: Buffer.from(l.r, 'base64') } });
        } catch {
          // A torn last line: that answer was never released.
        }
      });
    }
  } catch (err) {
    lock.release();
    throw err;
  }
  const toLine = (orgId: string, keyHash: string, r: { requestHash: string; expiresAt: number; answer?: { status: number; sealed: Uint8Array } }) =>
    JSON.stringify({ o: orgId, k: keyHash, h: r.requestHash, s: r.answer!.status, r: Buffer.from(r.answer!.sealed).toString('base64'), e: r.expiresAt } satisfies Line) + '\n';

  // Compact: rewrite with the live records only when they are less than half of the file.
  if (lines > 1000 && table.records.size * 2 < lines) {
    const tmp = `${file}.${process.pid}.tmp`;
    const h = await open(tmp, 'w', 0o600);
    for (const [k, r] of table.records) {
      const [orgId, keyHash] = k.split('\u0000') as [string, string];
      await h.appendFile(toLine(orgId, keyHash, r));
    }
    await h.sync();
    await h.close();
    await rename(tmp, file);
  }

  let handle: FileHandle | undefined = await open(file, 'a', 0o600);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    async begin(scope, requestHash, at) {
      return table.begin(scope, requestHash, at);
    },
    complete(scope, requestHash, answer) {
      const write = async () => {
        const rec = table.complete(scope, requestHash, answer);
        if (!rec || !handle) return;
        await handle.appendFile(toLine(scope.orgId, scope.keyHash, rec));
        await handle.sync();
      };
      const next = chain.then(write, write);
      chain = next.catch(() => undefined);
      return next;
    },
    async release(scope, requestHash) {
      table.release(scope, requestHash);
    },
    async close() {
      await chain;
      await handle?.close();
      handle = undefined;
      lock.release();
    },
  };
}
