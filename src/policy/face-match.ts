/**
 * /v1/face-match business results: which code a processed request gets, and its message. The
 * precedence is missing face, then the document check, then the similarity against the threshold.
 */
import { isCharged, METERED_ENDPOINTS } from './charges.ts';
import { FACE_MATCH_DEFAULT_THRESHOLD } from './thresholds.ts';

export const FACE_MATCH_RESULTS = {
  FACE_MATCH: 'The selfie matches the face on the ID image.',
  FACE_MISMATCH: 'The selfie does not match the face on the ID image to the required threshold.',
  NO_FACE_DETECTED: 'No face could be detected in one of the images.',
  NO_DOCUMENT_DETECTED: 'The ID image does not look like an identity document carrying a portrait.',
  DOCUMENT_TYPE_MISMATCH: "The ID image does not match the requested document type's layout.",
} as const;
export type FaceMatchResultCode = keyof typeof FACE_MATCH_RESULTS;
export const FACE_MATCH_RESULT_CODES = Object.keys(FACE_MATCH_RESULTS) as [FaceMatchResultCode, ...FaceMatchResultCode[]];

export interface FaceMatchFacts {
  /** Whether a face was found in each image. */
  selfieFace: boolean;
  idImageFace: boolean;
  /** 0–100, null when a face is missing. */
  similarity: number | null;
  /** The document check, when one was requested and run. */
  document: { passed: boolean; outcome: string; reasons: string[] } | null;
}

export interface FaceMatchDecision {
  code: FaceMatchResultCode;
  message: string;
  match: boolean;
  billable: boolean;
  /** The threshold applied (the request's, else the default 90). */
  threshold: number;
}

function codeFor(facts: FaceMatchFacts, threshold: number): FaceMatchResultCode {
  if (!facts.selfieFace || !facts.idImageFace || facts.similarity === null) return 'NO_FACE_DETECTED';
  if (facts.document && !facts.document.passed) return facts.document.outcome === 'NO_DOCUMENT_DETECTED' ? 'NO_DOCUMENT_DETECTED' : 'DOCUMENT_TYPE_MISMATCH';
  return facts.similarity >= threshold ? 'FACE_MATCH' : 'FACE_MISMATCH';
}

function messageFor(code: FaceMatchResultCode, facts: FaceMatchFacts): string {
  if (code === 'NO_FACE_DETECTED') {
    const where = !facts.selfieFace && !facts.idImageFace ? 'either image' : !facts.selfieFace ? 'the selfie' : 'the ID image';
    return `No face could be detected in ${where}. Send well-lit, frontal, unobstructed images.`;
  }
  if ((code === 'NO_DOCUMENT_DETECTED' || code === 'DOCUMENT_TYPE_MISMATCH') && facts.document?.reasons.length) {
    const reasons = facts.document.reasons.join('; ');
    return `${FACE_MATCH_RESULTS[code]} ${reasons.charAt(0).toUpperCase()}${reasons.slice(1)}.`;
  }
  return FACE_MATCH_RESULTS[code];
}

export function decideFaceMatch(facts: FaceMatchFacts, requested?: number): FaceMatchDecision {
  const threshold = requested ?? FACE_MATCH_DEFAULT_THRESHOLD;
  const code = codeFor(facts, threshold);
  return { code, message: messageFor(code, facts), match: code === 'FACE_MATCH', billable: isCharged(METERED_ENDPOINTS.faceMatch, code), threshold };
}
