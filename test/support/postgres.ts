/** A PostgreSQL pool on a fresh schema of the test server, with the migrations applied. */
import { randomBytes } from 'node:crypto';
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
