/**
 * `npm run fleet`: PostgreSQL and Redis on loopback (scripts/test-servers.sh: the machine's Debian
 * packages, free ports, Redis without persistence), two facematch replicas on two ports sharing
 * them, and how to reach them. Ctrl-C stops everything and deletes the servers' data.
 *   npm run fleet [-- --replicas 2]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fleetEnv, REPO_ROOT, startReplica, type Replica } from './fleet-replicas.ts';

const { values } = parseArgs({ options: { replicas: { type: 'string', default: '2' } } });
const count = Math.max(1, Number(values.replicas) || 2);
const serversScript = path.join(REPO_ROOT, 'scripts', 'test-servers.sh');

const dir = execFileSync('bash', [serversScript, 'start'], { encoding: 'utf8' }).trim();
const vars = Object.fromEntries(
  [...readFileSync(path.join(dir, 'env'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
);
const env = fleetEnv(vars.TEST_DATABASE_URL!, vars.TEST_REDIS_URL!);
const replicas: Replica[] = [];
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.all(replicas.map((r) => r.stop()));
    execFileSync('bash', [serversScript, 'stop', dir], { stdio: 'inherit' });
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  process.stdout.write(`PostgreSQL: ${env.DATABASE_URL}\nRedis:      ${env.REDIS_URL} (no persistence)\nstarting ${count} replicas…\n`);
  for (let i = 0; i < count; i++) replicas.push(await startReplica(String.fromCharCode(65 + i), { ...env, LOG_LEVEL: 'info' }));
  process.stdout.write(
    [
      '',
      ...replicas.map((r) => `replica ${r.name}: ${r.url}  (pid ${r.child.pid})`),
      '',
      'Each replica serves the demo registries and the demo key; they share the ledger (PostgreSQL),',
      'the reference cache and the report image links (Redis). Try:',
      `  curl -s ${replicas[0]!.url}/health`,
      `  curl -s ${replicas.at(-1)!.url}/v1/usage -H 'Authorization: Bearer fm_demo_local_only_5b0d0c6f3a9e41d2'`,
      'Put a load balancer in front of the ports, or call them in turn. Ctrl-C stops the fleet.',
      '',
    ].join('\n'),
  );
  for (const r of replicas) {
    void r.exited.then((code) => {
      if (!stopping) {
        process.stderr.write(`replica ${r.name} exited (${code}); stopping the fleet\n${r.output().slice(-2000)}\n`);
        void stop(1);
      }
    });
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  await stop(1);
}
