/** Starts the real service (`npm start`'s entry) on a free port, with its state in a temporary folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashApiKey } from '../../src/accounts/keys.ts';
import { repoRoot } from '../../src/config/paths.ts';
import { freePort } from '../../scripts/fleet-replicas.ts';

export interface RunningService {
  base: string;
  stop(): Promise<void>;
  output(): string;
}


/**
 * `apiKey` is the one key of the accounts file written for the run (an organisation subscribed to
 * face_match), so the run does not depend on what accounts file the checkout may hold.
 */
export async function startService(apiKey: string, env: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  const state = mkdtempSync(path.join(tmpdir(), 'facematch-browser-'));
  const accounts = path.join(state, 'accounts.json');
  writeFileSync(
    accounts,
    JSON.stringify({
      organisations: [{ id: 'demo', name: 'Demo organisation', approved: true, services: ['face_match'] }],
      api_keys: [{ id: 'console-test', org_id: 'demo', hash: hashApiKey(apiKey), revoked: false }],
    }),
  );
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      FACEMATCH_LEDGER: path.join(state, 'usage.jsonl'),
      FACEMATCH_CONFIG: accounts,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(state, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
