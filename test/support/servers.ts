/**
 * Real PostgreSQL and Redis for the state and fleet suites. `.ci/run` (and scripts/test-servers.sh
 * for developers) starts both and exports TEST_DATABASE_URL and TEST_REDIS_URL. Without them the
 * suites are skipped, and the reason is printed once, so a bare `npm test` still passes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { hasSharedData } from './shared-data.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;

export const TEST_SERVERS_SCRIPT = fileURLToPath(new URL('../../scripts/test-servers.sh', import.meta.url));
/** The PostgreSQL and Redis packages, for suites that start (and stop) servers of their own. */
export const hasServerPackages = spawnSync('bash', [TEST_SERVERS_SCRIPT, 'available'], { stdio: 'ignore' }).status === 0;

const HOWTO = 'start the servers with: eval "$(scripts/test-servers.sh start-env)"';
const warned = new Set<string>();

/** Print why a suite is skipped (once per reason); returns the reason. */
function skipNotice(suite: string, missing: string[]): string {
  const unset = missing.filter((m) => m.startsWith('TEST_'));
  const reasons = [...(unset.length ? [`${unset.join(' and ')} not set (${HOWTO})`] : []), ...missing.filter((m) => !m.startsWith('TEST_'))];
  const reason = reasons.join('; ');
  const line = `[skipped] ${suite}: ${reason}`;
  if (!warned.has(line)) process.stderr.write(`${line}\n`);
  warned.add(line);
  return reason;
}

/** A describe block that needs the given servers (or, with 'packages', the means to start its own); skipped (with a printed reason) when any is missing. */
export function describeWithServers(name: string, needs: Array<'postgres' | 'redis' | 'photos' | 'packages'>, body: () => void): void {
  const missing = needs.flatMap((n) =>
    n === 'postgres' && !TEST_DATABASE_URL ? ['TEST_DATABASE_URL']
    : n === 'redis' && !TEST_REDIS_URL ? ['TEST_REDIS_URL']
    : n === 'photos' && !hasSharedData ? ['the shared demo photos not found']
    : n === 'packages' && !hasServerPackages ? ['PostgreSQL or redis-server not installed (scripts/test-servers.sh install)']
    : [],
  );
  if (missing.length) {
    describe.skip(`${name} (skipped: ${skipNotice(name, missing)})`, body);
  } else {
    describe(name, body);
  }
}
