/**
 * Start facematch replicas as real child processes (`tsx src/main.ts`) sharing PostgreSQL and Redis.
 * Used by `npm run fleet` and by the fleet integration tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface FleetEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  FACEMATCH_CACHE_SECRET: string;
  FACEMATCH_MEDIA_SECRET: string;
  FACEMATCH_LIMITS_SECRET: string;
}

/** Secrets every replica of one fleet shares. */
export function fleetEnv(databaseUrl: string, redisUrl: string): FleetEnv {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    FACEMATCH_CACHE_SECRET: randomBytes(24).toString('base64url'),
    FACEMATCH_MEDIA_SECRET: randomBytes(24).toString('base64url'),
    // Per-ID-number counters are keyed by an HMAC under this secret: shared, so limits hold fleet-wide.
    FACEMATCH_LIMITS_SECRET: randomBytes(24).toString('base64url'),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Replica {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything the replica wrote (JSON-lines log), for diagnostics. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startReplica(name: string, env: FleetEnv & Record<string, string>, options: { port?: number; readyTimeoutMs?: number } = {}): Promise<Replica> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    // The demo organisation and key unless the caller configures accounts (a configured file always wins).
    env: { ...process.env, LOG_LEVEL: 'warn', FACEMATCH_DEMO: 'on', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const replica: Replica = {
    name,
    port,
    url,
    child,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited during start-up (${child.exitCode}):\n${out.slice(-4000)}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return replica;
    await new Promise((r) => setTimeout(r, 250));
  }
  await replica.stop('SIGKILL');
  throw new Error(`replica ${name} did not answer /health within the start-up timeout:\n${out.slice(-4000)}`);
}
