/**
 * The selfie-vs-ID-image use case behind POST /v1/face-match and POST /v1/face-match-report, with no
 * HTTP in it: both images through the engine concurrently → 0–100 similarity from the shared
 * calibration → optional document check of the ID image → warnings.
 *
 * A missing face is a business result here (the products answer NO_FACE_DETECTED / Rejected), so it
 * is reported in the outcome, not thrown. Bad input (not Base64, not an image, too large) is thrown
 * as VerificationFailures through src/service/errors.ts, like the face comparison.
 */
import type { DocumentChecker, DocumentCheckResult } from '../document/check.ts';
import type { DocumentType } from '../document/layouts.ts';
import { EngineError, type FaceAnalysis, type FaceEngine } from '../engine/types.ts';
import type { Logger } from '../logging/logger.ts';
import { percentScore } from '../policy/review.ts';
import type { Policy } from '../policy/policy.ts';
import { faceWarnings, noFaceWarning, type FaceWarning } from '../policy/warnings.ts';
import { MAX_IMAGE_BYTES, mapImageError, SELFIE_TARGET, type ImageErrorTarget } from './errors.ts';
import { internalFailure, VerificationFailure } from './failures.ts';
import { refuseDecompressionBomb } from './image-guard.ts';
import { estimateDecodedBytes } from './face-comparison.ts';

export interface FaceMatchDeps {
  engine: FaceEngine;
  policy: Policy;
  documents?: DocumentChecker;
  logger: Logger;
}

export interface FaceMatchInput {
  selfie: string;
  idImage: string;
  /** Run the document check on the ID image (when its face was found). */
  documentType?: DocumentType;
  /** Ask the engine for the aligned face crops (report links). */
  withCrops?: boolean;
  signal?: AbortSignal;
}

export interface FaceMatchOutcome {
  selfie: FaceAnalysis | null;
  idImage: FaceAnalysis | null;
  /** 0–100, 2 decimals; null when a face is missing. */
  similarity: number | null;
  document: DocumentCheckResult | null;
  /** Findings about both images (not including the similarity rule, which needs a threshold). */
  warnings: FaceWarning[];
  timings: Record<string, number>;
}

export const ID_IMAGE_TARGET: ImageErrorTarget = { field: 'idImage', label: 'The ID image', noFace: { image: 'idImage' } };

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

export async function matchFaces(deps: FaceMatchDeps, input: FaceMatchInput): Promise<FaceMatchOutcome> {
  const { engine, policy, logger } = deps;
  const started = performance.now();
  const timings: Record<string, number> = {};
  for (const [value, target] of [[input.selfie, SELFIE_TARGET], [input.idImage, ID_IMAGE_TARGET]] as const) {
    if (estimateDecodedBytes(value) > MAX_IMAGE_BYTES) {
      throw new VerificationFailure('IMAGE_TOO_LARGE', `${target.label} is larger than 10 MB.`, { field: target.field, max_bytes: MAX_IMAGE_BYTES });
    }
  }

  const analyse = async (image: string, target: ImageErrorTarget, withLiveness: boolean, stage: string): Promise<FaceAnalysis | null> => {
    const t = performance.now();
    try {
      await refuseDecompressionBomb(image, target);
      return await engine.analyze(image, { withLiveness, withCrop: input.withCrops ?? false });
    } catch (err) {
      if (err instanceof EngineError && err.code === 'NO_FACE') return null;
      throw mapImageError(err, target);
    } finally {
      timings[stage] = ms(t);
    }
  };
  // Liveness only for the selfie: a document portrait is a print by nature.
  const [selfieResult, idResult] = await Promise.allSettled([analyse(input.selfie, SELFIE_TARGET, true, 'selfie_analysis'), analyse(input.idImage, ID_IMAGE_TARGET, false, 'id_image_analysis')]);
  // The selfie's input error is reported first, as on the face comparison.
  if (selfieResult.status === 'rejected') throw selfieResult.reason;
  if (idResult.status === 'rejected') throw idResult.reason;
  const selfie = selfieResult.value;
  const idImage = idResult.value;

  const warnings: FaceWarning[] = [];
  if (!idImage) warnings.push(noFaceWarning('id_image'));
  else warnings.push(...faceWarnings('id_image', idImage));
  if (!selfie) warnings.push(noFaceWarning('selfie'));
  else warnings.push(...faceWarnings('selfie', selfie, { liveness: true }));

  let similarity: number | null = null;
  if (selfie && idImage) {
    try {
      similarity = percentScore(policy.calibration, engine.similarity(selfie.embedding, idImage.embedding));
    } catch (err) {
      throw internalFailure(err);
    }
  }

  let document: DocumentCheckResult | null = null;
  if (input.documentType && idImage && selfie) {
    if (!deps.documents) throw internalFailure(undefined, 'The document check is not configured.');
    const t = performance.now();
    try {
      document = await deps.documents.check({ image: input.idImage, face: idImage.face.box, type: input.documentType });
    } catch (err) {
      throw mapImageError(err, ID_IMAGE_TARGET);
    } finally {
      timings.document_check = ms(t);
    }
  }
  timings.total = ms(started);

  logger.info('face match analysed', {
    faces_in_selfie: selfie?.faces.length ?? 0,
    faces_in_id_image: idImage?.faces.length ?? 0,
    similarity,
    document_type: input.documentType ?? null,
    document_outcome: document?.outcome ?? null,
    warnings: warnings.map((w) => w.risk),
    calibration: policy.calibration.version,
    engine: engine.version,
    timings_ms: timings,
  });
  return { selfie, idImage, similarity, document, warnings, timings };
}
