/** Review decisions in a real PostgreSQL: durable, one per case, append-only. */
import { expect, it } from 'vitest';
import { createPostgresDecisionLog } from '../../src/review/postgres-decision-log.ts';
import { createMemoryReviewServices } from '../../src/review/index.ts';
import type { ReviewDecisionRecord } from '../../src/review/types.ts';
import { createHarness, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { post } from '../support/face-match.ts';
import { useFreshSchema } from '../support/postgres.ts';
import { describeWithServers } from '../support/servers.ts';

const record = (requestId: string, decision: 'APPROVE' | 'REJECT' = 'APPROVE'): ReviewDecisionRecord => ({
  v: 1,
  request_id: requestId,
  org_id: 'acme',
  endpoint: '/v1/face-comparison',
  verdict: 'CONFIRMED',
  decision,
  note: 'ok',
  reviewer: 'ana',
  key_id: 'k1',
  decided_at: '2026-11-23T12:00:00.000Z',
});

describeWithServers('PostgreSQL review decisions', ['postgres'], () => {
  const db = useFreshSchema();

  it('records a decision once per case and reads it back', async () => {
    const log = createPostgresDecisionLog(db.pool);
    expect(await log.append(record('R00000000001'))).toBe('recorded');
    expect(await log.append(record('R00000000001', 'REJECT'))).toBe('duplicate');
    expect(await log.find('acme', 'R00000000001')).toEqual(record('R00000000001'));
    expect(await log.find('globex', 'R00000000001')).toBeUndefined();
  });

  it('is append-only', async () => {
    await expect(db.pool.query("UPDATE review_decisions SET decision = 'REJECT'")).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM review_decisions')).rejects.toThrow(/append-only/);
  });

  it('backs the review API: the decision outlives the case', async () => {
    const review = { ...createMemoryReviewServices(), decisions: createPostgresDecisionLog(db.pool) };
    const h = createHarness({ review });
    const id = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.77) }))).json()).meta.request_id;
    expect((await post(h, `/v1/reviews/${id}`, { decision: 'REJECT', note: 'no' })).status).toBe(200);
    const { rows } = await db.pool.query('SELECT decision, reviewer, request_id FROM review_decisions WHERE request_id = $1', [id]);
    expect(rows).toEqual([{ decision: 'REJECT', reviewer: 'k1', request_id: id }]);
  });
});
