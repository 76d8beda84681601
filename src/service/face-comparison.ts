/**
 * The face-comparison use case, with no HTTP in it:
 *   validate id → reference (cache, else registry lookup → engine.analyze(photo) → cache)
 *                 ∥ engine.analyze(selfie) → policy.decide → outcome.
 * The reference and the selfie are processed concurrently. A selfie failure (not an image, no face)
 * wins over any registry or reference outcome and cancels the lookup, so until a face is found in the
 * selfie an unknown number and a known one get the same answer (no free enumeration of numbers).
 * Failures are VerificationFailures (src/service/failures.ts); each response format maps them.
 */
import type { FaceAnalysis, FaceEngine } from '../engine/types.ts';
import type { Decision, Policy } from '../policy/policy.ts';
import { comparisonWarnings, type FaceWarning } from '../policy/warnings.ts';
import { maskIdNumber } from '../registry/mask.ts';
import type { IdValidation, IdentityRecord, LookupContext, LookupResult, MatchAtSourceResult } from '../registry/types.ts';
import type { Logger } from '../logging/logger.ts';
import { sha256Hex } from '../receipts/hash.ts';
import { MAX_IMAGE_BYTES, mapReferenceError, mapRegistryError, mapSelfieError, SELFIE_TARGET } from './errors.ts';
import { internalFailure, VerificationFailure } from './failures.ts';
import { refuseDecompressionBomb } from './image-guard.ts';
import { compareAtSource } from './match-at-source.ts';

/** What the service needs from the registry router (src/registry/router.ts). */
export interface RegistryLookup {
  idTypes(): string[];
  has(idType: string): boolean;
  validate(idType: string, idNumber: string): IdValidation;
  lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult>;
  /** True when the registry compares the selfie itself (match at source). */
  matchesAtSource(idType: string): boolean;
  verifyFace(idType: string, idNumber: string, selfieJpeg: Uint8Array, ctx: LookupContext): Promise<MatchAtSourceResult>;
}

/** What is cached per identity: never the photo bytes. */
export interface CachedReference {
  identity: IdentityRecord;
  embedding: Float32Array;
  engineVersion: string;
  source: string;
  /** SHA-256 of the registry photo bytes (for receipts on cache hits); the bytes themselves are not kept. */
  photoSha256?: string;
}

/**
 * The reference cache (src/registry/reference-cache.ts: in memory, or Redis for a fleet), keyed
 * internally by a hash of id_type + id_number.
 */
export interface ReferenceStore {
  get(idType: string, idNumber: string): CachedReference | undefined | Promise<CachedReference | undefined>;
  set(idType: string, idNumber: string, value: CachedReference): void | Promise<void>;
}

export interface FaceComparisonDeps {
  registry: RegistryLookup;
  engine: FaceEngine;
  policy: Policy;
  cache: ReferenceStore;
  logger: Logger;
}

export interface FaceComparisonInput {
  selfie: string;
  idType: string;
  idNumber: string;
  threshold?: number;
  requestId: string;
  signal?: AbortSignal;
  /** The caller's API key id, for the registry's per-caller circuit-breaker accounting. */
  callerId?: string;
  /** Document-based id_types (IN_AADHAAR): the signed document sent instead of a lookup. Never cached. */
  document?: { zipBase64: string; shareCode: string };
}

export interface FaceComparisonOutcome {
  decision: Decision;
  /** The registry's record; for match at source, only what that registry confirms (it may hold no name). */
  identity: IdentityRecord | Record<string, unknown>;
  source: string;
  facesInSelfie: number;
  cache: 'hit' | 'miss';
  timings: Record<string, number>;
  /** Findings about the selfie and a below-threshold score (src/policy/warnings.ts); they do not change the verdict. */
  warnings: FaceWarning[];
  /** The normalised id_number, masked (for receipts and review cases). */
  idNumberMasked: string;
  /** SHA-256 of the registry photo bytes, when known. */
  referenceSha256: string | null;
  /** Aligned face crops (JPEG), for the review queue and the console; never persisted. No reference crop on a cache hit. */
  crops: { selfie?: Uint8Array; reference?: Uint8Array };
  /** Set when the registry compared the faces itself: its own band and similarity (0–1 on its scale). */
  atSource?: { registryBand: string; registrySimilarity: number };
}

/** Decoded size of raw base64 or a base64 data URL, without decoding it. */
export function estimateDecodedBytes(selfie: string): number {
  let start = 0;
  if (selfie.startsWith('data:')) {
    const comma = selfie.indexOf(',');
    start = comma >= 0 ? comma + 1 : selfie.length;
  }
  let chars = 0;
  let padding = 0;
  for (let i = start; i < selfie.length; i++) {
    const c = selfie.charCodeAt(i);
    if (c === 61 /* = */) padding++;
    else if (c > 32) chars++;
  }
  return Math.max(0, Math.floor(((chars + padding) * 3) / 4) - padding);
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

export async function compareFace(deps: FaceComparisonDeps, input: FaceComparisonInput): Promise<FaceComparisonOutcome> {
  const { registry, engine, policy, cache, logger } = deps;
  const started = performance.now();
  const timings: Record<string, number> = {};

  if (!registry.has(input.idType)) {
    throw new VerificationFailure('INVALID_ID', 'The id_type is not supported.', { id_type: `unsupported id_type; supported: ${registry.idTypes().join(', ')}` });
  }
  let validation: IdValidation;
  try {
    validation = registry.validate(input.idType, input.idNumber);
  } catch (err) {
    throw mapRegistryError(err);
  }
  if (!validation.ok) {
    throw new VerificationFailure('INVALID_ID', 'The id_number is not valid for the id_type.', { id_number: validation.reason });
  }
  const idNumber = validation.normalised;
  const decodedBytes = estimateDecodedBytes(input.selfie);
  if (decodedBytes > MAX_IMAGE_BYTES) {
    throw new VerificationFailure('IMAGE_TOO_LARGE', 'The selfie is larger than 10 MB.', { field: 'selfie', max_bytes: MAX_IMAGE_BYTES });
  }

  if (registry.matchesAtSource(input.idType)) return compareAtSource(deps, input, idNumber, started);

  const document = input.document ? { zip: new Uint8Array(Buffer.from(input.document.zipBase64, 'base64')), shareCode: input.document.shareCode } : undefined;
  const abort = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, abort.signal]) : abort.signal;

  const selfieTask = (async (): Promise<FaceAnalysis> => {
    const t = performance.now();
    try {
      await refuseDecompressionBomb(input.selfie, SELFIE_TARGET);
      return await engine.analyze(input.selfie, { withLiveness: true, withCrop: true });
    } catch (err) {
      const mapped = mapSelfieError(err);
      // An unusable selfie makes the registry call pointless: stop it if still running.
      abort.abort(mapped);
      throw mapped;
    } finally {
      timings.selfie_analysis = ms(t);
    }
  })();

  let cacheState: 'hit' | 'miss' = 'miss';
  // The reference crop exists only on a fresh lookup: the cache holds no image of any kind.
  let referenceCrop: Uint8Array | undefined;
  const referenceTask = (async (): Promise<CachedReference> => {
    // A shared cache that cannot be reached fails the request (retryable 503) rather than paying the registry unseen.
    // A reference read from a caller's document belongs to that request only: never cached or served from cache.
    const cached = document ? undefined : await cache.get(input.idType, idNumber);
    if (cached && cached.engineVersion === engine.version) {
      cacheState = 'hit';
      return cached;
    }
    let t = performance.now();
    let found: LookupResult;
    try {
      found = await registry.lookup(input.idType, idNumber, { requestId: input.requestId, signal, callerId: input.callerId, document });
    } catch (err) {
      throw mapRegistryError(err);
    } finally {
      timings.registry = ms(t);
    }
    t = performance.now();
    let analysis: FaceAnalysis;
    try {
      analysis = await engine.analyze(found.photo.bytes, { withCrop: true });
    } catch (err) {
      throw mapReferenceError(err);
    } finally {
      timings.reference_analysis = ms(t);
    }
    const entry: CachedReference = {
      identity: found.identity,
      embedding: analysis.embedding,
      engineVersion: engine.version,
      source: found.source,
      photoSha256: sha256Hex(found.photo.bytes),
    };
    referenceCrop = analysis.crop;
    try {
      if (!document) await cache.set(input.idType, idNumber, entry);
    } catch (err) {
      // The registry was paid and the answer is good: serve it; the next request looks it up again.
      logger.warn('reference cache write failed', { error: (err as Error).message });
    }
    return entry;
  })();

  const [selfieResult, referenceResult] = await Promise.allSettled([selfieTask, referenceTask]);
  if (selfieResult.status === 'rejected') throw selfieResult.reason;
  if (referenceResult.status === 'rejected') throw referenceResult.reason;

  const selfie = selfieResult.value;
  const reference = referenceResult.value;
  let raw: number;
  try {
    raw = engine.similarity(selfie.embedding, reference.embedding);
  } catch (err) {
    throw internalFailure(err);
  }
  const facesInSelfie = Math.max(1, selfie.faces.length);
  const decision = policy.decide({ raw, threshold: input.threshold, facesInSelfie });
  const warnings = comparisonWarnings(selfie, decision);
  timings.total = ms(started);

  logger.info('face comparison decided', {
    id_type: input.idType,
    id_number_masked: maskIdNumber(idNumber),
    source: reference.source,
    cache: cacheState,
    match_result: decision.match_result,
    score: decision.score,
    threshold: decision.threshold,
    tier: decision.tier,
    faces_in_selfie: facesInSelfie,
    calibration: policy.calibration.version,
    engine: engine.version,
    timings_ms: timings,
  });

  return {
    decision,
    identity: reference.identity,
    source: reference.source,
    facesInSelfie,
    cache: cacheState,
    timings,
    warnings,
    idNumberMasked: maskIdNumber(idNumber),
    referenceSha256: reference.photoSha256 ?? null,
    crops: { selfie: selfie.crop, reference: referenceCrop },
  };
}
