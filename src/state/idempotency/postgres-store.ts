/**
 * Idempotency records in PostgreSQL (table idempotency_keys, migrations/postgres/002), shared by the
 * replicas: a retry may land on any of them. The claim is one INSERT … ON CONFLICT, so two
 * concurrent first requests cannot both run.
 */
import { pgCall, type Pool } from '../postgres.ts';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, type IdempotencyStore } from './store.ts';

export function createPostgresIdempotencyStore(pool: Pool): IdempotencyStore {
  let lastPurge = 0;
  return {
    async begin(scope, requestHash, now) {
      return pgCall('idempotency claim', async () => {
        if (now.getTime() - lastPurge > 10 * 60_000) {
          lastPurge = now.getTime();
          await pool.query('DELETE FROM idempotency_keys WHERE expires_at < $1', [now]);
        }
        // Take the key if it is new, expired, or claimed by a request of the same body that died.
        const claimed = await pool.query(
          `INSERT INTO idempotency_keys (org_id, key_hash, request_hash, locked_until, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (org_id, key_hash) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, locked_until = EXCLUDED.locked_until,
                 created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, status = NULL, response = NULL
             WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
                OR (idempotency_keys.status IS NULL AND idempotency_keys.locked_until <= EXCLUDED.created_at
                    AND idempotency_keys.request_hash = EXCLUDED.request_hash)
           RETURNING 1`,
          [scope.orgId, scope.keyHash, requestHash, new Date(now.getTime() + IDEMPOTENCY_LEASE_MS), now, new Date(now.getTime() + IDEMPOTENCY_TTL_MS)],
        );
        if (claimed.rowCount) return { state: 'new' as const };
        const { rows } = await pool.query<{ request_hash: string; status: number | null; response: Buffer | null }>(
          'SELECT request_hash, status, response FROM idempotency_keys WHERE org_id = $1 AND key_hash = $2',
          [scope.orgId, scope.keyHash],
        );
        const row = rows[0];
        if (!row) return { state: 'in_progress' as const }; // deleted in between: let the client retry
        if (row.request_hash !== requestHash) return { state: 'mismatch' as const };
        if (row.status === null || !row.response) return { state: 'in_progress' as const };
        return { state: 'replay' as const, answer: { status: row.status, sealed: new Uint8Array(row.response) } };
      });
    },
    async complete(scope, requestHash, answer) {
      await pgCall('idempotency store', () =>
        pool.query('UPDATE idempotency_keys SET status = $4, response = $5 WHERE org_id = $1 AND key_hash = $2 AND request_hash = $3', [
          scope.orgId,
          scope.keyHash,
          requestHash,
          answer.status,
          Buffer.from(answer.sealed),
        ]),
      );
    },
    async release(scope, requestHash) {
      await pgCall('idempotency release', () =>
        pool.query('DELETE FROM idempotency_keys WHERE org_id = $1 AND key_hash = $2 AND request_hash = $3 AND status IS NULL', [scope.orgId, scope.keyHash, requestHash]),
      );
    },
    async close() {},
  };
}
