/**
 * The embedded usage ledger: JSON lines in one local file, appended and fsync'd before the response
 * is sent, for one process. Built to stay cheap at any size:
 *  - start-up streams the file in constant memory (src/state/line-reader.ts);
 *  - a checkpoint beside the file (`<file>.totals.json`: the per-org/endpoint/day counts and the byte
 *    offset they cover) lets start-up read only the lines written since, so a ledger of millions of
 *    lines opens in milliseconds; it is rewritten atomically every `checkpointEvery` records, at each
 *    rotation and on close, and ignored (full re-read) if it does not match the file;
 *  - the file rotates when a new month begins or when it would pass `maxBytes`: it is renamed to
 *    `<name>.<YYYY-MM>.<n>.jsonl` and its totals are carried over in the checkpoint;
 *  - `<file>.lock` (pid + host) refuses a second process on the same file with a clear message: two
 *    processes would each count only their own appends. A fleet uses PostgreSQL (DATABASE_URL).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock, LockHeldError, type FileLock } from '../state/lock-file.ts';
import { addResult, Aggregates, type SerialisedAggregates } from './aggregates.ts';
import { defaultLedgerPath, toUsageRecord, type UsageCounts, type UsageEntry, type UsageLedger, type UsageQuery, type UsageRecord, type UsageSummary } from './ledger.ts';

export interface FileLedgerOptions {
  /** Rotate before the file would grow past this many bytes. Default 256 MiB. */
  maxBytes?: number;
  /** Rotate when the first record of a new UTC month is written. Default true. */
  rotateMonthly?: boolean;
  /** Rewrite the checkpoint after this many records. Default 10 000. */
  checkpointEvery?: number;
}

interface Checkpoint {
  v: 1;
  /** Rotated segment files, oldest first (their totals are in `aggregates`). */
  segments: string[];
  /** How far into the active file `aggregates` reaches, and a hash of its first line to recognise it. */
  active: { offset: number; head: string | null; month: string | null };
  aggregates: SerialisedAggregates;
}

function isUsageRecord(x: unknown): x is UsageRecord {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  return typeof r.ts === 'string' && typeof r.org_id === 'string' && typeof r.endpoint === 'string' && typeof r.result === 'string' && typeof r.charged === 'boolean';
}

/**
 * The exact shape this ledger writes, one line, matched in place (sticky) without cutting the text
 * into line strings; any other line goes through JSON.parse. Start-up cost is dominated by this.
 */
const OWN_LINE = /\{"v":1,"ts":"(\d{4}-\d{2}-\d{2})[^"\\\n]*","request_id":"[^"\\\n]*","org_id":"([^"\\\n]*)","endpoint":"([^"\\\n]*)","result":"([^"\\\n]*)","charged":(true|false)\}\n/y;

/**
 * Add every record of `file` from byte `start` to `agg`, in constant memory. Returns the records
 * counted and whether the file ends with a torn line (no newline).
 */
async function scanInto(agg: Aggregates, file: string, start: number, onFirst?: (ts: string) => void): Promise<{ records: number; torn: boolean }> {
  // (organisation, endpoint) → per-day counts, without building a key string per line.
  const byOrg = new Map<string, Map<string, Map<string, UsageCounts>>>();
  const daysFor = (org: string, endpoint: string) => {
    let byEndpoint = byOrg.get(org);
    if (!byEndpoint) byOrg.set(org, (byEndpoint = new Map()));
    let days = byEndpoint.get(endpoint);
    if (!days) byEndpoint.set(endpoint, (days = agg.daysFor(org, endpoint)));
    return days;
  };
  let records = 0;
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { start, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl < 0) {
      pending = Buffer.concat([pending, chunk]);
      continue;
    }
    // Whole lines only: a newline never falls inside a UTF-8 sequence.
    const text = (pending.length ? Buffer.concat([pending, chunk.subarray(0, lastNl + 1)]) : chunk.subarray(0, lastNl + 1)).toString('utf8');
    pending = Buffer.from(chunk.subarray(lastNl + 1));
    let pos = 0;
    while (pos < text.length) {
      OWN_LINE.lastIndex = pos;
      const m = OWN_LINE.exec(text);
      if (m) {
        if (records++ === 0) onFirst?.(m[1]!);
        addResult(agg.countsFor(daysFor(m[2]!, m[3]!), m[1]!), m[3]!, m[4]!, m[5] === 'true');
        pos = OWN_LINE.lastIndex;
        continue;
      }
      const nl = text.indexOf('\n', pos);
      const r = parseRecord(text.slice(pos, nl));
      if (r) {
        if (records++ === 0) onFirst?.(r.ts);
        agg.add(r);
      }
      pos = nl + 1;
    }
  }
  return { records, torn: pending.length > 0 };
}

function parseRecord(line: string): UsageRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return isUsageRecord(parsed) ? parsed : undefined;
  } catch {
    // A torn line from a crash mid-write: it was never acknowledged.
    return undefined;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function readHead(file: string): Promise<string | null> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return null;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    return nl < 0 ? null : sha256(buf.subarray(0, nl).toString('utf8'));
  } finally {
    await handle.close();
  }
}

export class FileUsageLedger implements UsageLedger {
  private chain: Promise<unknown> = Promise.resolve();
  private handle: FileHandle | undefined;
  private size = 0;
  private needsNewline = false;
  private head: string | null = null;
  private month: string | null = null;
  private sinceCheckpoint = 0;
  private readonly maxBytes: number;
  private readonly rotateMonthly: boolean;
  private readonly checkpointEvery: number;

  private constructor(
    readonly file: string,
    private readonly lock: FileLock,
    private aggregates: Aggregates,
    private segments: string[],
    options: FileLedgerOptions,
  ) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.rotateMonthly = options.rotateMonthly ?? true;
    this.checkpointEvery = options.checkpointEvery ?? 10_000;
  }

  get checkpointFile(): string {
    return `${this.file}.totals.json`;
  }

  /** Open (creating the folder and file if needed), take the lock and load the totals. */
  static async open(file: string = defaultLedgerPath(), options: FileLedgerOptions = {}): Promise<FileUsageLedger> {
    mkdirSync(path.dirname(file), { recursive: true });
    let lock: FileLock;
    try {
      lock = acquireFileLock(`${file}.lock`);
    } catch (err) {
      if (err instanceof LockHeldError) {
        throw new Error(
          `the usage ledger ${file} is in use by process ${err.pid} on ${err.host}. One process per ledger file: ` +
            'give each process its own FACEMATCH_LEDGER, or run replicas on PostgreSQL (DATABASE_URL). ' +
            `If that process is gone, delete ${err.lockFile}.`,
        );
      }
      throw err;
    }
    try {
      const ledger = new FileUsageLedger(file, lock, new Aggregates(), [], options);
      await ledger.load();
      return ledger;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  private async readCheckpoint(): Promise<Checkpoint | undefined> {
    try {
      const cp = JSON.parse(await readFile(this.checkpointFile, 'utf8')) as Checkpoint;
      return cp && cp.v === 1 && cp.active && typeof cp.active.offset === 'number' && cp.aggregates ? cp : undefined;
    } catch {
      return undefined;
    }
  }

  /** Rotated segments found beside the file, oldest first. */
  private findSegments(): string[] {
    const dir = path.dirname(this.file);
    const { name, ext } = path.parse(this.file);
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d{4}-\\d{2})\\.(\\d+)${ext.replace('.', '\\.')}$`);
    return readdirSync(dir)
      .map((f) => ({ f, m: pattern.exec(f) }))
      .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
      .sort((a, b) => a.m[1]!.localeCompare(b.m[1]!) || Number(a.m[2]) - Number(b.m[2]))
      .map((x) => x.f);
  }

  private async load(): Promise<void> {
    const exists = existsSync(this.file);
    const size = exists ? statSync(this.file).size : 0;
    const head = exists ? await readHead(this.file) : null;
    const cp = await this.readCheckpoint();
    let start = 0;
    if (cp && (cp.active.offset === 0 || (cp.active.head === head && size >= cp.active.offset))) {
      this.aggregates = Aggregates.fromJSON(cp.aggregates);
      this.segments = cp.segments;
      this.month = cp.active.offset > 0 ? cp.active.month : null;
      start = cp.active.offset;
    } else {
      // No usable checkpoint: rebuild the totals from every segment, then the active file.
      this.segments = this.findSegments();
      for (const seg of this.segments) await scanInto(this.aggregates, path.join(path.dirname(this.file), seg), 0);
    }
    let read = 0;
    if (exists) {
      const scan = await scanInto(this.aggregates, this.file, start, (ts) => (this.month ??= ts.slice(0, 7)));
      read = scan.records;
      this.needsNewline = scan.torn;
    }
    this.size = size;
    this.head = head;
    this.handle = await open(this.file, 'a', 0o600);
    if (read > 0 || !cp) await this.writeCheckpoint();
  }

  private async writeCheckpoint(): Promise<void> {
    const cp: Checkpoint = {
      v: 1,
      segments: this.segments,
      active: { offset: this.size, head: this.head, month: this.month },
      aggregates: this.aggregates.toJSON(),
    };
    const tmp = `${this.checkpointFile}.${process.pid}.tmp`;
    const h = await open(tmp, 'w', 0o600);
    try {
      await h.writeFile(JSON.stringify(cp));
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, this.checkpointFile);
    this.sinceCheckpoint = 0;
  }

  private async rotate(): Promise<void> {
    const month = this.month ?? new Date().toISOString().slice(0, 7);
    const { dir, name, ext } = path.parse(this.file);
    let n = 1;
    while (existsSync(path.join(dir, `${name}.${month}.${n}${ext}`))) n++;
    const segment = `${name}.${month}.${n}${ext}`;
    await this.handle?.close();
    this.handle = undefined;
    await rename(this.file, path.join(dir, segment));
    this.segments = [...this.segments, segment];
    this.size = 0;
    this.head = null;
    this.month = null;
    this.needsNewline = false;
    // The checkpoint now says "everything so far, and nothing of the (new) active file".
    await this.writeCheckpoint();
    this.handle = await open(this.file, 'a', 0o600);
  }

  record(entry: UsageEntry): Promise<UsageRecord> {
    const rec = toUsageRecord(entry);
    const write = async () => {
      if (!this.handle) throw new Error('usage ledger is closed');
      const json = JSON.stringify(rec);
      const recMonth = rec.ts.slice(0, 7);
      const bytes = Buffer.byteLength(json) + 1;
      if (this.size > 0 && ((this.rotateMonthly && this.month !== null && recMonth > this.month) || this.size + bytes > this.maxBytes)) {
        await this.rotate();
      }
      const line = (this.needsNewline ? '\n' : '') + json + '\n';
      await this.handle!.appendFile(line, 'utf8');
      await this.handle!.sync();
      if (this.size === 0) this.head = sha256(json);
      this.size += Buffer.byteLength(line);
      this.needsNewline = false;
      this.month ??= recMonth;
      this.aggregates.add(rec);
      if (++this.sinceCheckpoint >= this.checkpointEvery) await this.writeCheckpoint();
      return rec;
    };
    // Serialise appends so lines never interleave; a failed write does not block later ones.
    const next = this.chain.then(write, write);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async usage(orgId: string, query: UsageQuery = {}): Promise<UsageSummary> {
    return this.aggregates.summary(orgId, query);
  }

  /** Rotated segment files, oldest first (names only, beside the ledger file). */
  rotatedSegments(): string[] {
    return [...this.segments];
  }

  async close(): Promise<void> {
    await this.chain;
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await handle.close();
    await this.writeCheckpoint();
    this.lock.release();
  }
}

export function openUsageLedger(file?: string, options?: FileLedgerOptions): Promise<FileUsageLedger> {
  return FileUsageLedger.open(file, options);
}
