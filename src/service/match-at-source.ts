/**
 * Match at source (Datavalid, INE): the registry compares the selfie with its own reference and
 * answers a similarity and a band, never a photo. The selfie is analysed here first (a decodable
 * image with a face, its quality and liveness findings), so a selfie the registry would reject, or
 * that we would not compare ourselves, never leaves the service; only a re-encoded JPEG of the
 * selfie (metadata stripped, at most 1024 px) is sent.
 */
import sharp from 'sharp';
import { bytesFromInput } from '../engine/decode.ts';
import type { FaceAnalysis } from '../engine/types.ts';
import { scoreFromRegistry } from '../policy/match-at-source.ts';
import { comparisonWarnings } from '../policy/warnings.ts';
import { maskIdNumber } from '../registry/mask.ts';
import type { MatchAtSourceResult } from '../registry/types.ts';
import { mapRegistryError, mapSelfieError, SELFIE_TARGET } from './errors.ts';
import { internalFailure } from './failures.ts';
import { refuseDecompressionBomb } from './image-guard.ts';
import type { FaceComparisonDeps, FaceComparisonInput, FaceComparisonOutcome } from './face-comparison.ts';

const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;

/** Longest side of the selfie sent to a registry (Datavalid asks for at least 250×250, ideally 750×750). */
const MAX_REGISTRY_SELFIE_SIDE = 1024;

/** The selfie as a plain JPEG: EXIF orientation applied, every metadata block dropped, bounded size. */
export async function selfieForRegistry(selfie: string): Promise<Uint8Array> {
  const bytes = bytesFromInput(selfie);
  const jpeg = await sharp(bytes)
    .rotate()
    .resize({ width: MAX_REGISTRY_SELFIE_SIDE, height: MAX_REGISTRY_SELFIE_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer();
  return new Uint8Array(jpeg);
}

export async function compareAtSource(
  deps: FaceComparisonDeps,
  input: FaceComparisonInput,
  idNumber: string,
  started: number,
): Promise<FaceComparisonOutcome> {
  const { registry, engine, policy, logger } = deps;
  const timings: Record<string, number> = {};
  /** Run one stage, timing it under `key` and mapping its failure onto the use case's vocabulary. */
  async function stage<T>(key: string | undefined, run: () => Promise<T>, mapError: (err: unknown) => Error): Promise<T> {
    const t = performance.now();
    try {
      return await run();
    } catch (err) {
      throw mapError(err);
    } finally {
      if (key) timings[key] = since(t);
    }
  }

  const selfie: FaceAnalysis = await stage(
    'selfie_analysis',
    async () => {
      await refuseDecompressionBomb(input.selfie, SELFIE_TARGET);
      return engine.analyze(input.selfie, { withLiveness: true, withCrop: true });
    },
    mapSelfieError,
  );
  const jpeg = await stage(undefined, () => selfieForRegistry(input.selfie), mapSelfieError);
  const ctx = { requestId: input.requestId, signal: input.signal, callerId: input.callerId };
  const verdict: MatchAtSourceResult = await stage('registry', () => registry.verifyFace(input.idType, idNumber, jpeg, ctx), mapRegistryError);
  const score = await stage(undefined, async () => scoreFromRegistry(verdict.similarity, verdict.scoreTable), (err) => internalFailure(err));

  const facesInSelfie = Math.max(1, selfie.faces.length);
  const decision = policy.decideScore({ score, threshold: input.threshold, facesInSelfie });
  const warnings = comparisonWarnings(selfie, decision);
  timings.total = since(started);

  logger.info('face comparison decided at source', {
    id_type: input.idType,
    id_number_masked: maskIdNumber(idNumber),
    source: verdict.source,
    registry_band: verdict.band,
    match_result: decision.match_result,
    score: decision.score,
    threshold: decision.threshold,
    tier: decision.tier,
    faces_in_selfie: facesInSelfie,
    timings_ms: timings,
  });

  return {
    decision,
    identity: verdict.identity,
    source: verdict.source,
    facesInSelfie,
    cache: 'miss',
    timings,
    warnings,
    atSource: { registryBand: verdict.band, registrySimilarity: verdict.similarity },
    idNumberMasked: maskIdNumber(idNumber),
    // The registry never returns its photo: the receipt has no reference hash and review no reference crop.
    referenceSha256: null,
    crops: { selfie: selfie.crop },
  };
}
