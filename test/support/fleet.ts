/**
 * A real two-replica fleet for integration tests: a fresh PostgreSQL database and a Redis database
 * index of the test servers, and replicas as child processes (`tsx src/main.ts`) with the demo
 * registries. Other fleet suites (e.g. limits across replicas) start theirs with `startFleet()`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { fleetEnv, startReplica, type FleetEnv, type Replica } from '../../scripts/fleet-replicas.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './servers.ts';

export const DEMO_KEY = 'fm_demo_local_only_5b0d0c6f3a9e41d2';

export interface Fleet {
  replicas: Replica[];
  env: FleetEnv;
  /** A client on the fleet's database, for assertions. */
  db: pg.Client;
  stop(): Promise<void>;
}

export async function startFleet(options: { replicas?: number; env?: Record<string, string> } = {}): Promise<Fleet> {
  const dbName = `fleet_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const databaseUrl = new URL(TEST_DATABASE_URL!);
  databaseUrl.pathname = `/${dbName}`;
  // Its own Redis database index (1–15, handed out in turn by a counter in database 0, so fleets
  // started by suites running side by side do not share limit counters), emptied first.
  const base = TEST_REDIS_URL!.replace(/\/\d*$/, '');
  const counter = new Redis(`${base}/0`);
  const redisIndex = 1 + ((await counter.incr('facematch:test:fleet-db')) % 15);
  counter.disconnect();
  const redisUrl = `${base}/${redisIndex}`;
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  redis.disconnect();

  const env = fleetEnv(databaseUrl.toString(), redisUrl);
  const names = Array.from({ length: options.replicas ?? 2 }, (_, i) => String.fromCharCode(65 + i));
  // Replicas start one after the other: concurrent first starts would race on nothing (migrations
  // hold a lock) but double the peak CPU on small machines.
  const replicas: Replica[] = [];
  try {
    for (const name of names) replicas.push(await startReplica(name, { ...env, ...options.env }));
  } catch (err) {
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    throw err;
  }
  const db = new pg.Client({ connectionString: databaseUrl.toString() });
  await db.connect();
  return {
    replicas,
    env,
    db,
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
      await db.end();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
