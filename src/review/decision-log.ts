/**
 * The durable record of review decisions: who decided what, when, on which request. One JSON object
 * per line, appended and fsync'd before the decision is acknowledged, in a file beside the usage
 * ledger (embedded default). It holds no images and no ID numbers, so it outlives the cases it records.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ReviewDecisionRecord } from './types.ts';

export interface ReviewDecisionLog {
  /** Durable once resolved; `duplicate` (nothing written) when the case already has a decision. */
  append(record: ReviewDecisionRecord): Promise<'recorded' | 'duplicate'>;
  /** The decision recorded for a request of the organisation. */
  find(orgId: string, requestId: string): Promise<ReviewDecisionRecord | undefined>;
  close(): Promise<void>;
}

const indexKey = (r: { org_id: string; request_id: string }) => `${r.org_id}\u0000${r.request_id}`;

export function createMemoryDecisionLog(): ReviewDecisionLog & { records: ReviewDecisionRecord[] } {
  const records: ReviewDecisionRecord[] = [];
  const index = new Map<string, ReviewDecisionRecord>();
  return {
    records,
    async append(r) {
      if (index.has(indexKey(r))) return 'duplicate';
      records.push(r);
      index.set(indexKey(r), r);
      return 'recorded';
    },
    find: async (orgId, requestId) => index.get(indexKey({ org_id: orgId, request_id: requestId })),
    async close() {},
  };
}

/** The decisions file that sits beside a ledger file (`var/usage.jsonl` → `var/review-decisions.jsonl`). */
export function decisionLogPathBeside(ledgerFile: string): string {
  return path.join(path.dirname(ledgerFile), 'review-decisions.jsonl');
}

export async function openFileDecisionLog(file: string): Promise<ReviewDecisionLog> {
  mkdirSync(path.dirname(file), { recursive: true });
  const index = new Map<string, ReviewDecisionRecord>();
  let needsNewline = false;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as ReviewDecisionRecord;
        // The first decision of a case is the one in force (decisions are final).
        if (typeof r.org_id === 'string' && typeof r.request_id === 'string' && !index.has(indexKey(r))) index.set(indexKey(r), r);
      } catch {
        // A torn last line from a crash mid-write was never acknowledged: skip it.
      }
    }
    needsNewline = text.length > 0 && !text.endsWith('\n');
  }
  let handle: FileHandle | undefined = await open(file, 'a', 0o600);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    append(r) {
      const write = async (): Promise<'recorded' | 'duplicate'> => {
        if (!handle) throw new Error('review decision log is closed');
        if (index.has(indexKey(r))) return 'duplicate';
        await handle.appendFile((needsNewline ? '\n' : '') + JSON.stringify(r) + '\n', 'utf8');
        await handle.sync();
        needsNewline = false;
        index.set(indexKey(r), r);
        return 'recorded';
      };
      // Serialise appends so lines never interleave; a failed write does not block later ones.
      const next = chain.then(write, write);
      chain = next.catch(() => undefined);
      return next;
    },
    find: async (orgId, requestId) => index.get(indexKey({ org_id: orgId, request_id: requestId })),
    async close() {
      await chain;
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
}
