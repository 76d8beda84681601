/** A PostgreSQL pool on a fresh schema of the test server, with the migrations applied. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createPool, migrate, type Pool } from '../../src/state/postgres.ts';
import { TEST_DATABASE_URL } from './servers.ts';

export async function freshSchema(): Promise<{ pool: Pool; schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = createPool({ url: TEST_DATABASE_URL!, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = createPool({ url: TEST_DATABASE_URL!, schema });
  await migrate(pool);
  return {
    pool,
    schema,
    async drop() {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Inside a describe block: one fresh schema for the block, dropped after it (`db.pool` once started). */
export function useFreshSchema(): { readonly pool: Pool } {
  let db: Awaited<ReturnType<typeof freshSchema>> | undefined;
  beforeAll(async () => {
    db = await freshSchema();
  });
  afterAll(async () => db?.drop());
  return {
    get pool() {
      if (!db) throw new Error('the schema is created in beforeAll');
      return db.pool;
    },
  };
}
