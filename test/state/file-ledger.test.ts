import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openUsageLedger } from '../../src/billing/file-ledger.ts';
import type { UsageEntry } from '../../src/billing/ledger.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'facematch-file-ledger-'));
  dirs.push(dir);
  return path.join(dir, 'usage.jsonl');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let seq = 0;
const entry = (result: string, ts = '2026-11-23T10:00:00.000Z', org = 'acme'): UsageEntry => ({
  ts,
  request_id: `R${String(++seq).padStart(11, '0')}`,
  org_id: org,
  endpoint: '/v1/face-comparison',
  result,
});

describe('file ledger: one process per file', () => {
  it('refuses a second opener with a message naming the holder and the way out', async () => {
    const file = tempFile();
    const first = await openUsageLedger(file);
    await expect(openUsageLedger(file)).rejects.toThrow(new RegExp(`in use by process ${process.pid} on .*DATABASE_URL`, 's'));
    await first.close();
    const again = await openUsageLedger(file);
    await again.close();
  });

  it('refuses while another live process holds the lock', async () => {
    const file = tempFile();
    // A real second process (this test's parent has a pid that is alive and is not ours).
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, host: hostname() }));
    await expect(openUsageLedger(file)).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over the lock of a process that is gone (kill -9 leaves it behind)', async () => {
    const file = tempFile();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname() }));
    const ledger = await openUsageLedger(file);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).pid).toBe(process.pid);
    await ledger.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('file ledger: checkpoint and rotation', () => {
  it('resumes from the checkpoint and reads only the lines after it', async () => {
    const file = tempFile();
    const ledger = await openUsageLedger(file, { checkpointEvery: 2 });
    for (let i = 0; i < 5; i++) await ledger.record(entry(i % 2 ? 'MISMATCH' : 'CONFIRMED'));
    // Simulate a crash: the lock and checkpoint stay as they were after the 4th record.
    const cp = JSON.parse(readFileSync(`${file}.totals.json`, 'utf8'));
    expect(cp.active.offset).toBeLessThan(readFileSync(file).length);
    rmSync(`${file}.lock`);
    const reopened = await openUsageLedger(file);
    expect((await reopened.usage('acme')).totals).toEqual({ requests: 5, confirmed: 3, mismatch: 2, errors: 0, charged: 3 });
    await reopened.close();
    await ledger.close().catch(() => undefined);
  });

  it('a checkpoint that does not match the file is ignored: totals are rebuilt from the lines', async () => {
    const file = tempFile();
    const ledger = await openUsageLedger(file);
    await ledger.record(entry('CONFIRMED'));
    await ledger.record(entry('CONFIRMED'));
    await ledger.close();
    // The file is replaced by another one (restored from a backup, say): its first line differs.
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${lines[1]}\n`);
    const reopened = await openUsageLedger(file);
    expect((await reopened.usage('acme')).totals.charged).toBe(1);
    await reopened.close();
  });

  it('rotates by size and carries the totals over, also after a restart', async () => {
    const file = tempFile();
    const ledger = await openUsageLedger(file, { maxBytes: 400 });
    for (let i = 0; i < 10; i++) await ledger.record(entry('CONFIRMED'));
    const segments = ledger.rotatedSegments();
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(segments[0]).toBe('usage.2026-11.1.jsonl');
    for (const seg of segments) expect(readFileSync(path.join(path.dirname(file), seg)).length).toBeLessThanOrEqual(400);
    expect((await ledger.usage('acme')).totals.charged).toBe(10);
    await ledger.close();
    const reopened = await openUsageLedger(file, { maxBytes: 400 });
    expect((await reopened.usage('acme')).totals.charged).toBe(10);
    await reopened.close();
    // Without the checkpoint, the totals are rebuilt from the segments and the active file.
    rmSync(`${file}.totals.json`);
    const rebuilt = await openUsageLedger(file, { maxBytes: 400 });
    expect((await rebuilt.usage('acme')).totals.charged).toBe(10);
    await rebuilt.close();
  });

  it('rotates when a new month begins', async () => {
    const file = tempFile();
    const ledger = await openUsageLedger(file);
    await ledger.record(entry('CONFIRMED', '2026-11-30T23:59:59.000Z'));
    await ledger.record(entry('CONFIRMED', '2026-12-01T00:00:01.000Z'));
    await ledger.record(entry('MISMATCH', '2026-12-01T00:00:02.000Z'));
    await ledger.close();
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(['usage.2026-11.1.jsonl', 'usage.jsonl']);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    const reopened = await openUsageLedger(file);
    const usage = await reopened.usage('acme');
    expect(usage.daily.map((d) => [d.date, d.requests])).toEqual([
      ['2026-11-30', 1],
      ['2026-12-01', 2],
    ]);
    await reopened.close();
  });

  it('counts lines in another key order or with escapes (written by other tools) through the slow path', async () => {
    const file = tempFile();
    writeFileSync(
      file,
      [
        '{"ts":"2026-11-23T10:00:00.000Z","v":1,"request_id":"A1","org_id":"acme","endpoint":"/v1/face-comparison","result":"CONFIRMED","charged":true}',
        '{"v":1,"ts":"2026-11-23T10:00:00.000Z","request_id":"A2","org_id":"ac\\u006de","endpoint":"/v1/face-comparison","result":"MISMATCH","charged":false}',
        '',
        'not json',
        '{"v":1,"ts":"2026-11-23T10:00:00.000Z","request_id":"A3","org_id":"acme","endpoint":"/v1/face-comparison","result":"CONFIRMED","charged":true}',
      ].join('\n') + '\n',
    );
    const ledger = await openUsageLedger(file);
    expect((await ledger.usage('acme')).totals).toEqual({ requests: 3, confirmed: 2, mismatch: 1, errors: 0, charged: 2 });
    await ledger.close();
  });

  it('a torn line after the checkpoint is skipped and the next record starts on a fresh line', async () => {
    const file = tempFile();
    const ledger = await openUsageLedger(file);
    await ledger.record(entry('CONFIRMED'));
    await ledger.close();
    appendFileSync(file, '{"v":1,"ts":"2026-11-23T1');
    const reopened = await openUsageLedger(file);
    await reopened.record(entry('CONFIRMED'));
    await reopened.close();
    const again = await openUsageLedger(file);
    expect((await again.usage('acme')).totals.charged).toBe(2);
    await again.close();
  });
});
