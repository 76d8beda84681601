/**
 * PostgreSQL connection pool and versioned migrations. Client: `pg` (node-postgres): the most used
 * and maintained PostgreSQL driver for Node, with pooling, parameterised queries and typed results.
 *
 * Migrations are the numbered SQL files of migrations/postgres (NNN_name.sql), applied in order at
 * start, each in its own transaction, recorded in schema_migrations. An advisory lock serialises
 * replicas that start together. A file already applied is never re-run; editing one is refused.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '../config/paths.ts';
import { StateUnavailableError } from './unavailable.ts';


export type Pool = pg.Pool;

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Most connections per process. Default 10. */
  max?: number;
  /** Run every statement with this search_path (tests isolate themselves in a schema). */
  schema?: string;
  /** Give up on a new connection after this many ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Abort a statement after this many ms. Default 5000. */
  statementTimeoutMs?: number;
}

export function createPool(options: PostgresOptions): Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its server emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Run a query, turning connection failures and timeouts into StateUnavailableError (→ 503). */
export async function pgCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isConnectionFailure(err)) throw new StateUnavailableError('postgres', `PostgreSQL ${what} failed: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

/** Errors that say "the database is not there right now", as opposed to a bad statement. */
export function isConnectionFailure(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string') {
    // Node socket errors, and SQLSTATE classes 08 (connection), 53 (resources), 57P (shutdown/cancel).
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/.test(e.code)) return true;
    if (/^(08|53|57P)/.test(e.code) || e.code === '57014') return true;
  }
  return /timeout|terminated|Connection terminated|connect/i.test(e?.message ?? '');
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = path.join(repoRoot, 'migrations', 'postgres');

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .map((f) => /^(\d+)_([\w-]+)\.sql$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const sql = readFileSync(path.join(dir, m[0]), 'utf8');
      return { version: Number(m[1]), name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
}

/** Apply the migrations not yet applied; returns the versions applied now. */
export async function migrate(pool: Pool, migrations: Migration[] = readMigrations()): Promise<number[]> {
  const client = await pgCall('connect', () => pool.connect());
  const applied: number[] = [];
  try {
    // One lock for the whole database: replicas starting together apply each migration once.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['facematch:migrations']);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map<number, string>((await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')).rows.map((r) => [r.version, r.checksum]));
    for (const m of migrations) {
      const previous = done.get(m.version);
      if (previous !== undefined) {
        if (previous !== m.checksum) throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['facematch:migrations']).catch(() => undefined);
    client.release();
  }
  return applied;
}

/** Open a pool, check the server answers, and apply migrations (start-up). */
export async function connectPostgres(options: PostgresOptions): Promise<Pool> {
  const pool = createPool(options);
  try {
    await pgCall('connect', () => pool.query('SELECT 1'));
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return pool;
}
