/**
 * A registry-side face matcher for the match-at-source mocks, backed by our own engine: the mock
 * "registry" compares the selfie it receives with the photo it holds and answers the calibrated
 * score as its similarity. Real registries use their own matchers; this only makes the demo honest.
 */
import type { FaceEngine } from '../src/engine/types.ts';

export function engineFaceSimilarity(
  engine: () => Pick<FaceEngine, 'analyze' | 'similarity'> | undefined,
  toScore: (raw: number) => number,
): (selfie: Uint8Array, reference: Uint8Array) => Promise<number> {
  return async (selfie, reference) => {
    const e = engine();
    if (!e) throw new Error('the face engine is not ready');
    try {
      const [a, b] = await Promise.all([e.analyze(selfie), e.analyze(reference)]);
      return Math.min(1, Math.max(0, toScore(e.similarity(a.embedding, b.embedding))));
    } catch {
      // No face on one side: the registry's matcher finds no resemblance.
      return 0;
    }
  };
}
