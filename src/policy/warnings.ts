/**
 * Warning rules: capture-quality, pose, liveness and similarity findings about a face analysis,
 * in the shape of the face-match report (`risk`, `additional_data`, `log_type`, descriptions).
 * Used by POST /v1/face-match-report (warnings[]) and POST /v1/face-comparison
 * (data.details.warnings). Every limit is a named constant below; the README has the table.
 * No HTTP, no registries: the rules read the engine's measures only.
 */
import type { FaceAnalysis } from '../engine/types.ts';

export const RISKS = [
  'LOW_FACE_MATCH_SIMILARITY',
  'NO_FACE_DETECTED',
  'MULTIPLE_FACES_DETECTED',
  'FACE_TOO_SMALL',
  'LOW_IMAGE_QUALITY',
  'EXTREME_FACE_POSE',
  'POSSIBLE_PRESENTATION_ATTACK',
] as const;
export type Risk = (typeof RISKS)[number];

export const LOG_TYPES = ['information', 'warning', 'error'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface FaceWarning {
  risk: Risk;
  /** Supplementary data as text (JSON of the measured values), or null. */
  additional_data: string | null;
  log_type: LogType;
  short_description: string;
  long_description: string;
}

/** Which image a finding is about. */
export type ImageRole = 'selfie' | 'id_image' | 'reference';

/*
 * The limits below were set against the engine's measures on the 54 development photos
 * (../shared/data/faces) and degraded copies of them; the figures quoted are those measures.
 */

/**
 * Face width (jaw to jaw, original-image pixels) below which the face is too small for a reliable
 * comparison. The development photos' faces measure 122–460 px; a 240p frame gives ~55 px.
 */
export const MIN_FACE_SIZE_PX = 80;
/**
 * Sharpness (variance of the Laplacian on the engine's aligned face crop) below which the face is
 * blurred. Development photos: 141–2872; Gaussian blur σ=3: 37–270, σ=5: 0.3–103, σ=8: 25–30 or no face.
 */
export const MIN_SHARPNESS = 75;
/** Mean luminance of the face crop, [0, 1]: below is under-exposed, above is over-exposed. Development photos: 0.25–0.69. */
export const MIN_BRIGHTNESS = 0.15;
export const MAX_BRIGHTNESS = 0.85;
/**
 * Share of face-crop pixels clipped to black or white above which exposure is unusable. Development
 * photos reach 0.33 (tight crops, where the crop's margin runs past the image edge); a blown-out copy 0.73.
 */
export const MAX_CLIPPED = 0.4;
/** Head pose limit, degrees of yaw or pitch (the ±25° in the face-comparison selfie requirements). */
export const MAX_POSE_DEGREES = 25;
/**
 * Presentation-attack signal: raised when either liveness score of the selfie (antispoof or
 * liveness model) is below this. Deliberately conservative: the genuine development photos score
 * 0.17–0.87 (antispoof) and 0.40–1.0 (liveness), so only a very low score raises it. It is a signal
 * for review, not a verdict: the models have not been evaluated on attack data here.
 */
export const MIN_LIVENESS_SCORE = 0.1;

const data = (value: Record<string, unknown>) => JSON.stringify(value);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const imageName = (role: ImageRole) => (role === 'selfie' ? 'selfie' : role === 'id_image' ? 'ID image' : 'reference photo');

export function noFaceWarning(role: ImageRole): FaceWarning {
  return {
    risk: 'NO_FACE_DETECTED',
    additional_data: data({ image: role }),
    log_type: 'error',
    short_description: `No face detected in the ${imageName(role)}`,
    long_description: `No face could be detected in the ${imageName(role)}, so the faces could not be compared. Ask for a well-lit, frontal, unobstructed image.`,
  };
}

export interface SimilarityContext {
  /** Public score on the scale used by the caller (0–1 or 0–100). */
  score: number;
  /** The score at or above which the faces match. */
  threshold: number;
  /** Optional review floor: below it the low similarity is an `error`, between it and the threshold a `warning`. */
  reviewThreshold?: number;
}

/** LOW_FACE_MATCH_SIMILARITY when the score is below the threshold. */
export function similarityWarning(ctx: SimilarityContext): FaceWarning | undefined {
  if (ctx.score >= ctx.threshold) return undefined;
  const belowReview = ctx.reviewThreshold !== undefined && ctx.score < ctx.reviewThreshold;
  return {
    risk: 'LOW_FACE_MATCH_SIMILARITY',
    additional_data: data({ score: ctx.score, threshold: ctx.threshold, ...(ctx.reviewThreshold !== undefined ? { review_threshold: ctx.reviewThreshold } : {}) }),
    log_type: belowReview ? 'error' : 'warning',
    short_description: 'Low face match similarity',
    long_description: "The facial features of the provided image don't closely match the reference image, suggesting a potential identity mismatch.",
  };
}

export interface FaceRuleOptions {
  /** Apply the presentation-attack rule (only meaningful for a live selfie, never for a document portrait). */
  liveness?: boolean;
}

/** Quality, pose, face-count and liveness findings for one analysed image. */
export function faceWarnings(role: ImageRole, analysis: Pick<FaceAnalysis, 'faces' | 'quality' | 'liveness'>, options: FaceRuleOptions = {}): FaceWarning[] {
  const out: FaceWarning[] = [];
  const q = analysis.quality;
  const name = imageName(role);

  if (analysis.faces.length > 1) {
    // On an ID image a second, smaller face is often the document's own ghost portrait.
    out.push({
      risk: 'MULTIPLE_FACES_DETECTED',
      additional_data: data({ image: role, faces: analysis.faces.length }),
      log_type: role === 'selfie' ? 'warning' : 'information',
      short_description: `Multiple faces detected in the ${name}`,
      long_description: `${analysis.faces.length} faces were detected in the ${name}; the largest one was compared. Another person in the frame can mean a coached or assisted capture${role === 'id_image' ? ' (on an ID document, a second small face is often the ghost portrait)' : ''}.`,
    });
  }

  if (q.faceSizePx < MIN_FACE_SIZE_PX) {
    out.push({
      risk: 'FACE_TOO_SMALL',
      additional_data: data({ image: role, face_size_px: round(q.faceSizePx, 0), min_face_size_px: MIN_FACE_SIZE_PX }),
      log_type: 'warning',
      short_description: `The face in the ${name} is too small`,
      long_description: `The face in the ${name} is about ${Math.round(q.faceSizePx)} pixels wide (minimum ${MIN_FACE_SIZE_PX}). Small faces carry little detail, so the similarity is less reliable.`,
    });
  }

  const problems: string[] = [];
  if (q.sharpness < MIN_SHARPNESS) problems.push('blurred');
  if (q.brightness < MIN_BRIGHTNESS) problems.push('under-exposed');
  if (q.brightness > MAX_BRIGHTNESS) problems.push('over-exposed');
  if (q.clipped > MAX_CLIPPED) problems.push('clipped highlights or shadows');
  if (problems.length) {
    out.push({
      risk: 'LOW_IMAGE_QUALITY',
      additional_data: data({ image: role, problems, sharpness: round(q.sharpness, 1), brightness: round(q.brightness), clipped: round(q.clipped) }),
      log_type: 'warning',
      short_description: `Low image quality in the ${name}`,
      long_description: `Capture problems in the ${name}: ${problems.join(', ')}. Poor capture quality lowers the similarity of genuine matches; ask for a sharp, evenly lit image.`,
    });
  }

  if (Math.abs(q.yaw) > MAX_POSE_DEGREES || Math.abs(q.pitch) > MAX_POSE_DEGREES) {
    out.push({
      risk: 'EXTREME_FACE_POSE',
      additional_data: data({ image: role, yaw: round(q.yaw, 1), pitch: round(q.pitch, 1), max_degrees: MAX_POSE_DEGREES }),
      log_type: 'warning',
      short_description: `Extreme head pose in the ${name}`,
      long_description: `The head in the ${name} is turned beyond ±${MAX_POSE_DEGREES}° (yaw ${q.yaw.toFixed(1)}°, pitch ${q.pitch.toFixed(1)}°). Match accuracy degrades at such angles; ask for a frontal image.`,
    });
  }

  if (options.liveness && analysis.liveness) {
    const { antispoof, liveness } = analysis.liveness;
    if (antispoof < MIN_LIVENESS_SCORE || liveness < MIN_LIVENESS_SCORE) {
      out.push({
        risk: 'POSSIBLE_PRESENTATION_ATTACK',
        additional_data: data({ image: role, antispoof: round(antispoof, 3), liveness: round(liveness, 3), min_score: MIN_LIVENESS_SCORE }),
        log_type: 'warning',
        short_description: `Possible presentation attack in the ${name}`,
        long_description: `The liveness signals for the ${name} are low (antispoof ${antispoof.toFixed(2)}, liveness ${liveness.toFixed(2)}; limit ${MIN_LIVENESS_SCORE}). The face may be a photo of a screen or a print. This is a signal for review, not a verdict.`,
      });
    }
  }
  return out;
}

/** The warnings of a face-comparison answer: a below-threshold score first, then the selfie's findings (liveness included). */
export function comparisonWarnings(selfie: Parameters<typeof faceWarnings>[1], decision: { score: number; threshold: number }): FaceWarning[] {
  const warnings = faceWarnings('selfie', selfie, { liveness: true });
  const low = similarityWarning({ score: decision.score, threshold: decision.threshold });
  if (low) warnings.unshift(low);
  return warnings;
}
