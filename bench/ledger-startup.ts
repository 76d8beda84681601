/**
 * Start-up time and memory of the file ledger on a large file.
 *   npx tsx bench/ledger-startup.ts [lines=5000000] [dir=<tmp>]
 * Writes a ledger of `lines` records (3 organisations, 3 endpoints, ~90 days), then opens it:
 *   cold — no checkpoint (first start on a ledger written by an older version, or checkpoint lost);
 *   warm — with the checkpoint the ledger leaves on close (every later start).
 * Prints wall time and the peak RSS / heap growth during each open. Deletes the files afterwards.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { openUsageLedger } from '../src/billing/file-ledger.ts';

const lines = Number(process.argv[2] ?? 5_000_000);
const dir = process.argv[3] ?? mkdtempSync(path.join(tmpdir(), 'facematch-ledger-bench-'));
const file = path.join(dir, 'usage.jsonl');

async function writeLedger(): Promise<void> {
  const out = createWriteStream(file);
  const orgs = ['acme', 'globex', 'initech'];
  const endpoints = ['/v1/face-comparison', '/v1/face-match', '/v1/face-match-report'];
  const results = ['CONFIRMED', 'MISMATCH', 'ID_NOT_FOUND', 'LANDMARKS_NOT_FOUND'];
  const start = Date.parse('2026-09-01T00:00:00Z');
  for (let i = 0; i < lines; i++) {
    const result = results[i % 7 === 0 ? 2 + (i % 2) : i % 3 === 0 ? 1 : 0]!;
    const rec = {
      v: 1,
      ts: new Date(start + Math.floor((i / lines) * 89 * 86_400_000)).toISOString(),
      request_id: i.toString(36).padStart(12, '0'),
      org_id: orgs[i % 3],
      endpoint: endpoints[(i >> 2) % 3],
      result,
      charged: result === 'CONFIRMED',
    };
    if (!out.write(JSON.stringify(rec) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function timeOpen(label: string): Promise<void> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  const ledger = await openUsageLedger(file, { maxBytes: Number.MAX_SAFE_INTEGER, rotateMonthly: false });
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const total = (await ledger.usage('acme')).totals.requests;
  await ledger.close();
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s, RSS before ${(rss0 / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${((peak - rss0) / 2 ** 20).toFixed(0)} MiB); acme requests on /v1/face-comparison: ${total}`);
}

await writeLedger();
console.log(`ledger: ${lines} lines, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
await timeOpen('cold start (no checkpoint)');
await timeOpen('warm start (checkpoint)');
rmSync(dir, { recursive: true, force: true });
