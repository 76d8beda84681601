/**
 * The document check of POST /v1/face-match: a layout plausibility check of the ID image, not
 * forgery detection and not OCR. `ANY` asks "does this look like an identity document carrying a
 * portrait?"; a specific type also asks "does the layout fit that type?" (aspect ratio, portrait on
 * the left, MRZ band at the bottom or not).
 */
import { decodeImage, defaultDecodeLimits } from '../engine/decode.ts';
import type { Box, ImageInput } from '../engine/types.ts';
import { FAMILIES, LAYOUTS, type DocumentType, type LayoutFamily } from './layouts.ts';
import { measureDocument, type DocumentMeasures } from './measure.ts';

/** Longer side the ID image is analysed at (the measures are relative, so detail beyond this adds nothing). */
export const ANALYSIS_SIDE = 800;
/** Aspect ratios (long/short) a document photo may show at all: TD3 and ID-1 with margins for perspective. */
export const DOCUMENT_ASPECT_RANGE = [1.3, 1.75] as const;
/** Face box area / document area for a printed portrait (a tightly cropped portrait on an ID-1 card reaches ~0.2). */
export const PORTRAIT_AREA_RANGE = [0.005, 0.3] as const;
/** Text-like lines required besides the portrait. */
export const MIN_TEXT_LINES = 3;
/** The portrait's centre lies left of this share of the width on "portrait on the left" layouts. */
export const PORTRAIT_LEFT_MAX_X = 0.5;

export type DocumentOutcome = 'NOT_REQUESTED' | 'DOCUMENT_DETECTED' | 'TYPE_MATCHED' | 'NO_DOCUMENT_DETECTED' | 'DOCUMENT_TYPE_MISMATCH';

export interface DocumentCheckResult {
  requestedType: DocumentType;
  /** true when the image looks like an identity document (and, for a specific type, fits its layout). */
  passed: boolean;
  outcome: Exclude<DocumentOutcome, 'NOT_REQUESTED'>;
  documentDetected: boolean;
  /** The layout family whose aspect ratio the document fits, if any. */
  layout: LayoutFamily | null;
  measures: {
    source: DocumentMeasures['source'];
    aspectRatio: number;
    orientation: DocumentMeasures['orientation'];
    portraitCentre: { x: number; y: number };
    portraitArea: number;
    textLines: number;
    mrzBand: boolean;
  };
  /** English reasons for a failed check (empty when passed). */
  reasons: string[];
}

export interface DocumentCheckInput {
  image: ImageInput;
  /** The portrait's face box in the upright original image's pixels (FaceAnalysis.face.box). */
  face: Box;
  type: DocumentType;
}

export interface DocumentChecker {
  check(input: DocumentCheckInput): Promise<DocumentCheckResult>;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function fittingFamily(aspect: number): LayoutFamily | null {
  let best: LayoutFamily | null = null;
  let bestDev = Infinity;
  for (const [family, spec] of Object.entries(FAMILIES) as Array<[LayoutFamily, (typeof FAMILIES)[LayoutFamily]]>) {
    const dev = Math.abs(aspect / spec.aspect - 1);
    if (dev <= spec.tolerance && dev < bestDev) {
      best = family;
      bestDev = dev;
    }
  }
  return best;
}

/** The decision, from measures alone (pure; tested directly). */
export function decideDocument(type: DocumentType, m: DocumentMeasures): DocumentCheckResult {
  const notDocument: string[] = [];
  if (m.orientation !== 'landscape') notDocument.push('the image is not a landscape card or page');
  if (m.aspectRatio < DOCUMENT_ASPECT_RANGE[0] || m.aspectRatio > DOCUMENT_ASPECT_RANGE[1]) {
    notDocument.push(`the aspect ratio ${m.aspectRatio.toFixed(2)} is not that of an ID card (1.59) or passport page (1.42)`);
  }
  if (!m.portraitInside) notDocument.push('the face is not inside the document');
  else if (m.portraitArea < PORTRAIT_AREA_RANGE[0] || m.portraitArea > PORTRAIT_AREA_RANGE[1]) {
    notDocument.push(`the face covers ${(m.portraitArea * 100).toFixed(1)}% of the image, not the size of a printed ID portrait`);
  }
  if (m.textLines < MIN_TEXT_LINES) notDocument.push(`${m.textLines} text-like line(s) found beside the portrait (at least ${MIN_TEXT_LINES} expected)`);
  const documentDetected = notDocument.length === 0;
  const layout = fittingFamily(m.aspectRatio);
  const base = {
    requestedType: type,
    documentDetected,
    layout: documentDetected ? layout : null,
    measures: {
      source: m.source,
      aspectRatio: r3(m.aspectRatio),
      orientation: m.orientation,
      portraitCentre: { x: r2(m.portraitCentre.x), y: r2(m.portraitCentre.y) },
      portraitArea: r3(m.portraitArea),
      textLines: m.textLines,
      mrzBand: m.mrzBand,
    },
  };
  if (!documentDetected) return { ...base, passed: false, outcome: 'NO_DOCUMENT_DETECTED', reasons: notDocument };
  if (type === 'ANY') return { ...base, passed: true, outcome: 'DOCUMENT_DETECTED', reasons: [] };

  const spec = LAYOUTS[type];
  const mismatch: string[] = [];
  if (layout !== spec.family) {
    const want = FAMILIES[spec.family].aspect.toFixed(2);
    mismatch.push(`the aspect ratio ${m.aspectRatio.toFixed(2)} does not fit ${spec.family === 'ID1_CARD' ? 'an ID-1 card' : 'a TD3 passport page'} (${want})`);
  }
  if (spec.portraitLeft && m.portraitCentre.x > PORTRAIT_LEFT_MAX_X) mismatch.push('the portrait is not on the left side of the document');
  if (spec.mrz && !m.mrzBand) mismatch.push('no machine-readable-zone band was found at the bottom');
  if (!spec.mrz && m.mrzBand) mismatch.push("a machine-readable-zone band was found at the bottom, which this type's imaged side does not carry");
  return mismatch.length
    ? { ...base, passed: false, outcome: 'DOCUMENT_TYPE_MISMATCH', reasons: mismatch }
    : { ...base, passed: true, outcome: 'TYPE_MATCHED', reasons: [] };
}

/**
 * Several candidate rectangles (the region against the background, the whole frame): the first one
 * under which the image is a document decides; if none is, the first candidate's answer is given.
 */
export function decideCandidates(type: DocumentType, candidates: DocumentMeasures[]): DocumentCheckResult {
  const results = candidates.map((m) => decideDocument(type, m));
  return results.find((r) => r.passed) ?? results.find((r) => r.documentDetected) ?? results[0]!;
}

/** The default checker: decodes the ID image (sharp, upright, ≤ 800 px) and measures it. */
export function createDocumentChecker(): DocumentChecker {
  return {
    async check({ image, face, type }) {
      const decoded = await decodeImage(image, { ...defaultDecodeLimits, maxSide: ANALYSIS_SIDE });
      const s = decoded.scale;
      const box: Box = { x: face.x / s, y: face.y / s, width: face.width / s, height: face.height / s };
      return decideCandidates(type, measureDocument(decoded, box));
    },
  };
}
