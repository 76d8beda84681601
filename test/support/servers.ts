/**
 * Real PostgreSQL and Redis for the state and fleet suites. `.ci/run` (and scripts/test-servers.sh
 * for developers) starts both and exports TEST_DATABASE_URL and TEST_REDIS_URL. Without them the
 * suites are skipped, and the reason is printed once, so a bare `npm test` still passes.
 */
import { describe } from 'vitest';
import { hasSharedData } from './shared-data.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;

const HOWTO = 'start the servers with: eval "$(scripts/test-servers.sh start-env)"';
const warned = new Set<string>();

function skipNotice(suite: string, missing: string[]): void {
  const line = `[skipped] ${suite}: ${missing.join(' and ')} not set (${HOWTO})`;
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`${line}\n`);
}

/** A describe block that needs the given servers; skipped (with a printed reason) when any is missing. */
export function describeWithServers(name: string, needs: Array<'postgres' | 'redis' | 'photos'>, body: () => void): void {
  const missing = needs.flatMap((n) =>
    n === 'postgres' && !TEST_DATABASE_URL ? ['TEST_DATABASE_URL'] : n === 'redis' && !TEST_REDIS_URL ? ['TEST_REDIS_URL'] : n === 'photos' && !hasSharedData ? ['the shared demo photos'] : [],
  );
  if (missing.length) {
    skipNotice(name, missing);
    describe.skip(`${name} (skipped: ${missing.join(', ')} not set)`, body);
  } else {
    describe(name, body);
  }
}
