/**
 * `npm run loadtest`: the service under load, measured from another process as an operator would.
 *
 * Starts `npm start` (or, with --fleet, PostgreSQL, Redis and two replicas as `npm run fleet` does; or
 * uses --url, a comma-separated list), warms the reference cache, then:
 *   1. saturation: throughput of POST /v1/face-comparison at concurrency 1, 2, 4 (and 8 for a fleet),
 *      --probe-seconds each, the load spread evenly over the replicas;
 *      the saturating concurrency is the smallest within 5 % of the best throughput;
 *   2. 2× and 8× that concurrency for --seconds each, twice: clients that honour Retry-After, then
 *      clients that resend at once (autocannon): throughput, p50/p99 of admitted (200) answers, share
 *      refused (503/429), other statuses, slowest answer, peak RSS of the service;
 *   3. 64 concurrent requests with a ~9 MB selfie: statuses, how fast refusals came, peak RSS.
 * /metrics is scraped before and after each phase to show the counters moving.
 *
 * The per-key and per-ID budgets are raised for the spawned service (every request verifies the same
 * demo identity), so the run measures the engine and admission control, not the limit policy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { readDemoIdentities, resolveFacePath } from '../mocks/demo-identities.ts';
import { fleetEnv, freePort, REPO_ROOT, startReplica } from '../scripts/fleet-replicas.ts';
import { DEFAULT_DEMO_API_KEY } from '../src/accounts/config.ts';
import { percentile } from './stats.ts';

const ENDPOINT = '/v1/face-comparison';

/** A service process this run started (npm start, or a fleet replica). */
interface Service {
  pid: number;
  exited?: () => boolean;
  stop(): Promise<void>;
}

interface PhaseResult {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  admittedPerSecond: number;
  statuses: Record<string, number>;
  refusedShare: number;
  admittedP50: number;
  admittedP99: number;
  slowestMs: number;
  peakRssMb: number;
  metrics: Record<string, number>;
  /** Server-side: 503s answered within 10 ms (from the latency histogram), of all 503s. */
  serverRefusals: { within10ms: number; total: number };
}

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/** Descendant process ids of `pid` (npm → sh → tsx → node). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of children.split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        visit(c);
      }
    }
  };
  visit(pid);
  return out;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of the services' processes every 100 ms; `peakMb()`: the largest process since the last reset. */
function rssSampler(rootPids: number[]) {
  let peak = 0;
  const pids = () => rootPids.flatMap((p) => [p, ...descendants(p)]);
  const sample = () => {
    for (const p of pids()) peak = Math.max(peak, statusKb(p, 'VmRSS'));
  };
  const timer = setInterval(sample, 100);
  return {
    reset: () => {
      peak = 0;
      sample();
    },
    peakMb: () => round(peak / 1024),
    stop: () => clearInterval(timer),
  };
}

/** The counters of interest, summed over the replicas. */
async function scrape(bases: string[], token: string | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const base of bases) for (const [k, v] of Object.entries(await scrapeOne(base, token))) out[k] = (out[k] ?? 0) + v;
  return out;
}

async function scrapeOne(base: string, token: string | undefined): Promise<Record<string, number>> {
  if (!token) return {};
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return {};
  const wanted =
    /^facematch_(http_requests_total\{route="\/v1\/face-comparison"|http_request_duration_seconds_(bucket\{le="0.01",|count\{)route="\/v1\/face-comparison"|admission_refusals_total|limit_refusals_total|charged_results_total|reference_cache_lookups_total)/;
  const out: Record<string, number> = {};
  for (const line of (await res.text()).split('\n')) {
    if (!wanted.test(line)) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

/** From a metrics delta: how many 503s the service answered within 10 ms, of all its 503s. */
function fastRefusals(m: Record<string, number>): { within10ms: number; total: number } {
  const key = (k: string) => `facematch_http_request_duration_seconds_${k}route="/v1/face-comparison",status="503"}`;
  return { within10ms: m[key('bucket{le="0.01",')] ?? 0, total: m[key('count{')] ?? 0 };
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
}

/** autocannon, the connections spread over the replicas (one instance per replica, run together). */
async function runPhase(name: string, bases: string[], body: string, key: string, connections: number, seconds: number, rss: ReturnType<typeof rssSampler>, token?: string): Promise<PhaseResult> {
  const before = await scrape(bases, token);
  rss.reset();
  const latencies: Record<string, number[]> = {};
  const run = (base: string, conns: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: base + ENDPOINT,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body,
          connections: conns,
          duration: seconds,
          timeout: 60,
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
      instance.on('response', (_client, statusCode, _bytes, ms) => {
        (latencies[statusCode] ??= []).push(ms);
      });
    });
  const shares = bases.map((_, i) => Math.floor(connections / bases.length) + (i < connections % bases.length ? 1 : 0));
  const results = await Promise.all(bases.map((b, i) => run(b, Math.max(1, shares[i]!))));
  const result = { errors: results.reduce((n, r) => n + r.errors, 0), timeouts: results.reduce((n, r) => n + r.timeouts, 0) };
  const after = await scrape(bases, token);
  const phase = summarisePhase(name, connections, seconds, latencies, delta(before, after), rss);
  if (result.errors) phase.statuses.errors = result.errors;
  if (result.timeouts) phase.statuses.timeouts = result.timeouts;
  return phase;
}

/**
 * The same load from clients that honour Retry-After: each of `connections` clients sends, waits for
 * the answer, and after a 503 or 429 waits the seconds the service asked for before sending again.
 */
async function runPolitePhase(name: string, bases: string[], body: string, key: string, connections: number, seconds: number, rss: ReturnType<typeof rssSampler>, token?: string): Promise<PhaseResult> {
  const before = await scrape(bases, token);
  rss.reset();
  const latencies: Record<string, number[]> = {};
  const until = performance.now() + seconds * 1000;
  const client = async (base: string) => {
    while (performance.now() < until) {
      const t = performance.now();
      let status = 'error';
      let wait = 0;
      try {
        const res = await fetch(base + ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
        await res.arrayBuffer();
        status = String(res.status);
        if (res.status === 503 || res.status === 429) wait = Number(res.headers.get('retry-after') ?? '1') * 1000;
      } catch {
        wait = 1000;
      }
      (latencies[status] ??= []).push(performance.now() - t);
      if (wait) await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, until - performance.now()))));
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => client(bases[i % bases.length]!)));
  return summarisePhase(name, connections, seconds, latencies, delta(before, await scrape(bases, token)), rss);
}

function summarisePhase(name: string, connections: number, seconds: number, latencies: Record<string, number[]>, metrics: Record<string, number>, rss: ReturnType<typeof rssSampler>): PhaseResult {
  const statuses = Object.fromEntries(Object.entries(latencies).map(([s, l]) => [s, l.length]));
  const admitted = latencies['200'] ?? [];
  const total = Object.values(latencies).reduce((n, l) => n + l.length, 0);
  const refused = (latencies['503']?.length ?? 0) + (latencies['429']?.length ?? 0);
  return {
    name,
    connections,
    seconds,
    requests: total,
    throughput: round(total / seconds),
    admittedPerSecond: round(admitted.length / seconds),
    statuses,
    refusedShare: total ? round((100 * refused) / total) : 0,
    admittedP50: round(percentile(admitted, 50)),
    admittedP99: round(percentile(admitted, 99)),
    slowestMs: round(Math.max(0, ...Object.values(latencies).flat())),
    peakRssMb: rss.peakMb(),
    metrics,
    serverRefusals: fastRefusals(metrics),
  };
}

/** A selfie of about `targetMb` MB: the demo selfie enlarged, with fine grain so JPEG cannot squeeze it. */
async function bigSelfie(file: string, targetMb: number): Promise<Buffer> {
  let side = 3000;
  for (let i = 0; i < 6; i++) {
    const base = sharp(file).resize(side, side, { fit: 'inside' });
    const { width, height } = await base.clone().toBuffer({ resolveWithObject: true }).then((r) => r.info);
    const grain = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png().toBuffer();
    const out = await base.composite([{ input: grain, blend: 'soft-light' }]).jpeg({ quality: 98, chromaSubsampling: '4:4:4' }).toBuffer();
    const mb = out.length / 1e6;
    if (mb > targetMb * 0.92 && mb <= Math.min(targetMb * 1.08, 10)) return out;
    side = Math.round(side * Math.sqrt(targetMb / mb));
  }
  throw new Error('could not make a selfie of the requested size');
}

/** One POST with node:http: the time to the response's headers (a refusal can come before the upload ends), then its status. */
function timedPost(url: URL, key: string, body: string, agent: Agent): Promise<{ status: string; ms: number }> {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } }, (res) => {
      resolve({ status: String(res.statusCode), ms: performance.now() - t });
      res.resume();
      // A refused upload need not be finished.
      if (res.statusCode !== 200) res.on('end', () => req.destroy());
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: `error ${err.code ?? err.message}`, ms: performance.now() - t }));
    req.end(body);
  });
}

async function bigSelfieCase(bases: string[], body: string, key: string, n: number, rss: ReturnType<typeof rssSampler>, token?: string) {
  const before = await scrape(bases, token);
  rss.reset();
  const started = performance.now();
  const urls = bases.map((b) => new URL(b + ENDPOINT));
  // Keep-alive connections, as an HTTP client library uses: a refused upload is then drained by the
  // service and the 503 read, instead of a reset of a connection the client asked to close.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => timedPost(urls[i % urls.length]!, key, body, agent)));
  agent.destroy();
  const by = (s: string) => answers.filter((a) => a.status === s).map((a) => a.ms);
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  return {
    requests: n,
    statuses,
    admittedP50: round(percentile(by('200'), 50)),
    admittedMax: round(Math.max(0, ...by('200'))),
    refusedP50: round(percentile(by('503'), 50)),
    refusedMax: round(Math.max(0, ...by('503'))),
    wallMs: round(performance.now() - started),
    peakRssMb: rss.peakMb(),
    serverRefusals: fastRefusals(delta(before, await scrape(bases, token))),
  };
}

async function waitReady(base: string, service: Service | undefined, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (service?.exited?.()) throw new Error('the service exited before it was ready');
    try {
      if ((await fetch(`${base}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the service did not become ready');
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      key: { type: 'string', default: DEFAULT_DEMO_API_KEY },
      'metrics-token': { type: 'string' },
      seconds: { type: 'string', default: '30' },
      'probe-seconds': { type: 'string', default: '10' },
      'big-requests': { type: 'string', default: '64' },
      'big-mb': { type: 'string', default: '9' },
      json: { type: 'boolean', default: false },
      'big-only': { type: 'boolean', default: false },
      fleet: { type: 'boolean', default: false },
    },
  });
  const log = (line: string) => process.stderr.write(line + '\n');
  const seconds = Number(values.seconds);
  const probeSeconds = Number(values['probe-seconds']);
  const key = values.key!;

  const people = await readDemoIdentities();
  const person = people.find((p) => p.id_type === 'PE_DNI' && p.id_number === '27182818') ?? people[0]!;
  const selfieFile = resolveFacePath(person.selfie);
  const body = JSON.stringify({ id_type: person.id_type, id_number: person.id_number, selfie: readFileSync(selfieFile).toString('base64') });

  // Raised budgets: every request verifies the same identity with the same key.
  const loadEnv = { LOG_LEVEL: 'warn', FACEMATCH_LIMIT_KEY_PER_MINUTE: '1000000', FACEMATCH_LIMIT_ID_ATTEMPTS: '1000000/3600' };
  const started: Service[] = [];
  let bases = values.url ? values.url.split(',').map((u) => u.replace(/\/+$/, '')) : [];
  let token = values['metrics-token'];
  const tmp = await mkdtemp(path.join(tmpdir(), 'facematch-load-'));
  let fleetServers: string | undefined;
  try {
    if (values.fleet) {
      token = randomBytes(18).toString('base64url');
      fleetServers = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'test-servers.sh'), 'start'], { encoding: 'utf8' }).trim();
      const vars = Object.fromEntries([...readFileSync(path.join(fleetServers, 'env'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      const shared = fleetEnv(vars.TEST_DATABASE_URL!, vars.TEST_REDIS_URL!);
      for (const name of ['A', 'B']) {
        const replica = await startReplica(name, { ...shared, ...loadEnv, FACEMATCH_DEMO: 'on', FACEMATCH_METRICS_TOKEN: token });
        started.push({ pid: replica.child.pid!, stop: () => replica.stop() });
        bases.push(replica.url);
        log(`started replica ${name} (pid ${replica.child.pid}) on ${replica.url}`);
      }
    } else if (!bases.length) {
      const port = await freePort();
      token = randomBytes(18).toString('base64url');
      bases = [`http://127.0.0.1:${port}`];
      const child = spawn('npm', ['start', '--silent'], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, ...loadEnv, PORT: String(port), FACEMATCH_LEDGER: path.join(tmp, 'usage.jsonl'), FACEMATCH_METRICS_TOKEN: token },
      });
      started.push({
        pid: child.pid!,
        exited: () => child.exitCode !== null,
        // The service and its children form their own process group (detached): stop them all.
        stop: async () => {
          if (child.exitCode !== null) return;
          process.kill(-child.pid!, 'SIGTERM');
          await new Promise((r) => child.once('exit', r));
        },
      });
      log(`started npm start (pid ${child.pid}) on ${bases[0]}`);
    }
    for (const b of bases) await waitReady(b, started[0]);
    const rss = rssSampler(started.map((s) => s.pid));
    try {
      // Warm the reference cache and the engines.
      for (const b of bases) for (let i = 0; i < 5; i++) await fetch(b + ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }).then((r) => r.arrayBuffer());

      const probes: PhaseResult[] = [];
      const phases: PhaseResult[] = [];
      let c = 0;
      let saturationRate = 0;
      if (!values['big-only']) {
        for (const conns of [1, 2, 4, 8].filter((n) => n <= 4 * bases.length)) {
          log(`saturation probe c=${conns} for ${probeSeconds} s`);
          probes.push(await runPhase(`probe c=${conns}`, bases, body, key, conns, probeSeconds, rss, token));
        }
        const best = Math.max(...probes.map((p) => p.admittedPerSecond));
        const saturation = probes.find((p) => p.admittedPerSecond >= 0.95 * best)!;
        c = saturation.connections;
        saturationRate = saturation.admittedPerSecond;
        for (const factor of [2, 8]) {
          log(`${factor}× saturation: c=${factor * c} for ${seconds} s, clients honouring Retry-After`);
          phases.push(await runPolitePhase(`${factor}× (c=${factor * c}), Retry-After honoured`, bases, body, key, factor * c, seconds, rss, token));
          log(`${factor}× saturation: c=${factor * c} for ${seconds} s, clients resending at once (autocannon)`);
          phases.push(await runPhase(`${factor}× (c=${factor * c}), resent at once`, bases, body, key, factor * c, seconds, rss, token));
        }
      }

      log(`${values['big-requests']} concurrent ~${values['big-mb']} MB selfies`);
      const big = await bigSelfie(selfieFile, Number(values['big-mb']));
      const bigBody = JSON.stringify({ id_type: person.id_type, id_number: person.id_number, selfie: big.toString('base64') });
      const bigCase = { selfieMb: round(big.length / 1e6, 2), ...(await bigSelfieCase(bases, bigBody, key, Number(values['big-requests']), rss, token)) };

      const hwm = Math.max(0, ...started.flatMap((svc) => [svc.pid, ...descendants(svc.pid)]).map((p) => statusKb(p, 'VmHWM')));
      const report = {
        cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
        services: bases.length,
        saturation: { connections: c, admittedPerSecond: saturationRate, probes },
        phases,
        bigSelfies: bigCase,
        serviceHighWaterRssMb: round(hwm / 1024),
      };
      if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else printReport(report);
    } finally {
      rss.stop();
    }
  } finally {
    await Promise.all(started.map((svc) => svc.stop()));
    if (fleetServers) execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'test-servers.sh'), 'stop', fleetServers], { stdio: 'ignore' });
    await rm(tmp, { recursive: true, force: true });
  }
  return 0;
}

function printReport(r: { cpu: string; services: number; saturation: { connections: number; admittedPerSecond: number; probes: PhaseResult[] }; phases: PhaseResult[]; bigSelfies: Record<string, unknown>; serviceHighWaterRssMb: number }) {
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`CPU: ${r.cpu}; services: ${r.services}`);
  out(`saturation: c=${r.saturation.connections}, ${r.saturation.admittedPerSecond} verifications/s`);
  out('| phase | req/s | admitted/s | p50 admitted ms | p99 admitted ms | refused % | statuses | slowest ms | 503s within 10 ms (server) | peak RSS MB |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const p of [...r.saturation.probes, ...r.phases]) {
    const fast = p.serverRefusals.total ? `${p.serverRefusals.within10ms}/${p.serverRefusals.total}` : '–';
    out(`| ${p.name} | ${p.throughput} | ${p.admittedPerSecond} | ${p.admittedP50} | ${p.admittedP99} | ${p.refusedShare} | ${JSON.stringify(p.statuses)} | ${p.slowestMs} | ${fast} | ${p.peakRssMb} |`);
  }
  out(`big selfies: ${JSON.stringify(r.bigSelfies)}`);
  out(`service RSS high-water mark (whole run): ${r.serviceHighWaterRssMb} MB`);
  for (const p of r.phases) out(`metrics moved during ${p.name}: ${JSON.stringify(p.metrics)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`loadtest: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
