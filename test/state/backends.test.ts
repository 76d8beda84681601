import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileUsageLedger } from '../../src/billing/file-ledger.ts';
import { PostgresUsageLedger } from '../../src/billing/postgres-ledger.ts';
import { createMemoryLogger } from '../../src/logging/logger.ts';
import { ReferenceCache, RedisReferenceCache } from '../../src/registry/reference-cache.ts';
import { idempotencyFileFor, openStateBackends, type StateConfig } from '../../src/state/backends.ts';
import { describeWithServers, TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/servers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function config(extra: Partial<StateConfig> = {}): StateConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'facematch-backends-'));
  dirs.push(dir);
  return { ledgerFile: path.join(dir, 'usage.jsonl'), cacheTtlMs: 60_000, cacheMaxEntries: 10, ...extra };
}
const deps = () => ({ clock: { now: () => new Date() }, logger: createMemoryLogger('debug').logger });

describe('state backends from configuration', () => {
  it('a bare machine: ledger and idempotency files, cache and links in memory', async () => {
    const cfg = config();
    const state = await openStateBackends(cfg, deps());
    expect(state.ledger).toBeInstanceOf(FileUsageLedger);
    expect(state.cache).toBeInstanceOf(ReferenceCache);
    expect(state.redis).toBeUndefined();
    expect(state.pool).toBeUndefined();
    expect(await state.check()).toEqual({});
    expect(idempotencyFileFor(cfg.ledgerFile)).toBe(path.join(path.dirname(cfg.ledgerFile), 'usage.idempotency.jsonl'));
    await state.close();
  });

  it('REDIS_URL without the shared secrets is a start-up error that says what is missing', async () => {
    await expect(openStateBackends(config({ redisUrl: 'redis://127.0.0.1:1', mediaSecret: 'x'.repeat(16) }), deps())).rejects.toThrow(/FACEMATCH_CACHE_SECRET and FACEMATCH_MEDIA_SECRET/);
  });

  it('a configured backend that cannot be reached stops the start-up and releases the ledger', async () => {
    const cfg = config({ redisUrl: 'redis://127.0.0.1:1', cacheSecret: 'c'.repeat(16), mediaSecret: 'm'.repeat(16) });
    await expect(openStateBackends(cfg, deps())).rejects.toThrow(/cannot connect to Redis/);
    // The file ledger opened first was closed again: its lock is free.
    const again = await openStateBackends({ ...cfg, redisUrl: undefined }, deps());
    await again.close();
  });
});

describeWithServers('state backends on PostgreSQL and Redis', ['postgres', 'redis'], () => {
  it('DATABASE_URL and REDIS_URL select the shared backends; check() reports both reachable', async () => {
    const state = await openStateBackends(config({ databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL, cacheSecret: 'c'.repeat(16), mediaSecret: 'm'.repeat(16) }), deps());
    expect(state.ledger).toBeInstanceOf(PostgresUsageLedger);
    expect(state.cache).toBeInstanceOf(RedisReferenceCache);
    expect(await state.check()).toEqual({ postgres: true, redis: true });
    expect(state.summary.ledger).toMatch(/^postgres /);
    await state.close();
  });
});
