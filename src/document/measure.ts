/**
 * Plain image measures for the document layout check (no OCR, no model):
 *
 *  1. the document's rectangle, two candidates: (a) the background is modelled from a ring of border
 *     pixels; when it is uniform, the largest connected foreground region, if it is rectangular
 *     (each row and column of its bounding box is filled end to end); (b) the whole frame (a scan
 *     or a tight crop of the document). A region covering a quarter of the image or more and holding
 *     the portrait is the document; otherwise (a smaller region, e.g. the photo box of a scan) the
 *     check tries (a) first, then (b);
 *  2. the rectangle's aspect ratio (long side / short side) and orientation;
 *  3. where the portrait (the face box from the engine) sits in it and what fraction it occupies;
 *  4. text-like bands: rows with dense, strong horizontal intensity changes (glyph strokes) that
 *     form short runs separated by quiet rows, outside the portrait;
 *  5. an MRZ-like band: such a band in the bottom part of the document whose strokes span almost
 *     its whole width (a machine-readable zone is one monospace line across the page).
 */
import type { Box } from '../engine/types.ts';
import { lumaAt, type RgbImage } from '../engine/decode.ts';

/** Width of the border ring sampled for the background, as a share of the shorter side. */
const RING_SHARE = 0.02;
/** Mean absolute deviation (0–255, per channel) below which the border ring is a uniform background. */
const UNIFORM_BACKGROUND_MAD = 20;
/** Colour distance from the background above which a pixel is foreground (at least). */
const FOREGROUND_DISTANCE = 16;
/** Smallest document region, as a share of the image. */
const MIN_REGION_SHARE = 0.08;
/** A region holding the portrait and covering this share of the image is taken as the document outright. */
const MIN_DOCUMENT_SHARE = 0.25;
/** Mean row/column fill of the region's bounding box for it to count as a rectangle. */
const MIN_RECTANGULARITY = 0.9;
/** Horizontal intensity step (0–255) that counts as a glyph stroke edge. */
const EDGE_STEP = 28;
/** A text row has at least this share of stroke edges; a text band peaks at BAND_PEAK or more. */
const ROW_ACTIVE = 0.06;
const BAND_PEAK = 0.1;
/** Text band height limits, as shares of the document height. */
const BAND_MIN_HEIGHT = 0.012;
const BAND_MAX_HEIGHT = 0.09;
/** The MRZ is searched in this bottom share of the document, and must span this share of its width. */
const MRZ_BOTTOM_SHARE = 0.3;
const MRZ_MIN_COVERAGE = 0.8;
const MRZ_BLOCKS = 32;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TextBand {
  top: number;
  bottom: number;
  /** Highest share of stroke edges in one row of the band. */
  peak: number;
  /** Share of the document width (in blocks) that holds strokes in this band. */
  coverage: number;
}

export interface DocumentMeasures {
  /** How the rectangle was found: against a uniform background, or the whole frame. */
  source: 'background' | 'frame';
  /** The document rectangle in analysed-image pixels. */
  rect: Rect;
  /** Long side / short side. */
  aspectRatio: number;
  orientation: 'landscape' | 'portrait';
  /** Face box centre relative to the rectangle ([0, 1] when inside). */
  portraitCentre: { x: number; y: number };
  /** Face box area / rectangle area. */
  portraitArea: number;
  portraitInside: boolean;
  /** Text-like bands outside the portrait. */
  textLines: number;
  /** A full-width text band in the bottom part of the document. */
  mrzBand: boolean;
  bands: TextBand[];
}

function luminance(img: RgbImage): Float32Array {
  const out = new Float32Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = lumaAt(img.data, i);
  return out;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1] ?? 0;
};

/** The document rectangle against a uniform background, or undefined. */
export function findDocumentRect(img: RgbImage): Rect | undefined {
  const { width: w, height: h, data } = img;
  const ring = Math.max(2, Math.round(Math.min(w, h) * RING_SHARE));
  const samples: [number[], number[], number[]] = [[], [], []];
  const step = Math.max(1, Math.floor((w + h) / 800));
  for (let y = 0; y < h; y += step) {
    for (let x = 0; x < w; x += step) {
      if (x >= ring && x < w - ring && y >= ring && y < h - ring) continue;
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) samples[c]!.push(data[i + c]!);
    }
  }
  const bg = samples.map(median) as [number, number, number];
  let mad = 0;
  for (let c = 0; c < 3; c++) mad += samples[c]!.reduce((s, v) => s + Math.abs(v - bg[c]!), 0) / samples[c]!.length / 3;
  if (mad > UNIFORM_BACKGROUND_MAD) return undefined;

  const threshold = Math.max(FOREGROUND_DISTANCE, 3 * mad);
  const mask = new Uint8Array(w * h);
  for (let p = 0; p < w * h; p++) {
    const i = p * 3;
    const d = Math.max(Math.abs(data[i]! - bg[0]), Math.abs(data[i + 1]! - bg[1]), Math.abs(data[i + 2]! - bg[2]));
    if (d > threshold) mask[p] = 1;
  }
  // Largest 4-connected foreground component.
  const label = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  let best = { count: 0, id: 0, x0: 0, y0: 0, x1: 0, y1: 0 };
  let next = 0;
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || label[start]) continue;
    const id = ++next;
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    let count = 0, x0 = w, y0 = h, x1 = 0, y1 = 0;
    while (top > 0) {
      const p = stack[--top]!;
      count++;
      const x = p % w, y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && mask[p - 1] && !label[p - 1]) { label[p - 1] = id; stack[top++] = p - 1; }
      if (x < w - 1 && mask[p + 1] && !label[p + 1]) { label[p + 1] = id; stack[top++] = p + 1; }
      if (y > 0 && mask[p - w] && !label[p - w]) { label[p - w] = id; stack[top++] = p - w; }
      if (y < h - 1 && mask[p + w] && !label[p + w]) { label[p + w] = id; stack[top++] = p + w; }
    }
    if (count > best.count) best = { count, id, x0, y0, x1, y1 };
  }
  if (best.count < MIN_REGION_SHARE * w * h) return undefined;
  const rect = { x: best.x0, y: best.y0, width: best.x1 - best.x0 + 1, height: best.y1 - best.y0 + 1 };
  // Rectangularity: how much of each row's (and column's) box span lies between the region's first and last pixel.
  let rowFill = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let first = -1, last = -1;
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      if (label[y * w + x] === best.id) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) rowFill += (last - first + 1) / rect.width;
  }
  let colFill = 0;
  for (let x = rect.x; x < rect.x + rect.width; x++) {
    let first = -1, last = -1;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      if (label[y * w + x] === best.id) {
        if (first < 0) first = y;
        last = y;
      }
    }
    if (first >= 0) colFill += (last - first + 1) / rect.height;
  }
  const rectangularity = Math.min(rowFill / rect.height, colFill / rect.width);
  return rectangularity >= MIN_RECTANGULARITY ? rect : undefined;
}

/** Text-like bands in `rect` (rows [y0, y1)), skipping the pixels for which `skip` is true. */
function textBands(grey: Float32Array, width: number, rect: Rect, y0: number, y1: number, skip?: (x: number, y: number) => boolean): TextBand[] {
  const insetX = Math.round(rect.width * 0.02);
  const xa = rect.x + insetX, xb = rect.x + rect.width - insetX - 1;
  const density = new Float32Array(y1 - y0);
  const blockW = (xb - xa) / MRZ_BLOCKS;
  const blockHits: Uint16Array[] = [];
  for (let y = y0; y < y1; y++) {
    let edges = 0, n = 0;
    const hits = new Uint16Array(MRZ_BLOCKS);
    for (let x = xa; x < xb; x++) {
      if (skip?.(x, y)) continue;
      n++;
      if (Math.abs(grey[y * width + x + 1]! - grey[y * width + x]!) > EDGE_STEP) {
        edges++;
        hits[Math.min(MRZ_BLOCKS - 1, Math.floor((x - xa) / blockW))]!++;
      }
    }
    density[y - y0] = n > 0 ? edges / n : 0;
    blockHits.push(hits);
  }
  const minH = Math.max(2, rect.height * BAND_MIN_HEIGHT);
  const maxH = rect.height * BAND_MAX_HEIGHT;
  const bands: TextBand[] = [];
  let y = 0;
  while (y < density.length) {
    if (density[y]! < ROW_ACTIVE) {
      y++;
      continue;
    }
    const start = y;
    let peak = 0;
    while (y < density.length && density[y]! >= ROW_ACTIVE) peak = Math.max(peak, density[y++]!);
    const end = y; // exclusive
    const height = end - start;
    // A band must be bounded by quiet rows (not cut by the search window) and of text-line height.
    if (start === 0 || end === density.length || height < minH || height > maxH || peak < BAND_PEAK) continue;
    const blocks = new Uint16Array(MRZ_BLOCKS);
    for (let r = start; r < end; r++) for (let b = 0; b < MRZ_BLOCKS; b++) blocks[b]! += blockHits[r]![b]!;
    const coverage = blocks.reduce((s, v) => s + (v >= 2 ? 1 : 0), 0) / MRZ_BLOCKS;
    bands.push({ top: start + y0, bottom: end + y0, peak, coverage });
  }
  return bands;
}

/** Measures of the document assumed to occupy `rect`. */
export function measureInRect(img: RgbImage, grey: Float32Array, face: Box, rect: Rect, source: DocumentMeasures['source']): DocumentMeasures {
  const long = Math.max(rect.width, rect.height);
  const short = Math.max(1, Math.min(rect.width, rect.height));
  const cx = face.x + face.width / 2, cy = face.y + face.height / 2;
  const portraitCentre = { x: (cx - rect.x) / rect.width, y: (cy - rect.y) / rect.height };
  const portraitInside = portraitCentre.x > 0 && portraitCentre.x < 1 && portraitCentre.y > 0 && portraitCentre.y < 1;

  // The portrait and its frame: the face box widened to cover hair, shoulders and the photo border.
  const px0 = face.x - 0.6 * face.width, px1 = face.x + 1.6 * face.width;
  const py0 = face.y - 0.9 * face.height, py1 = face.y + 2 * face.height;
  const inPortrait = (x: number, y: number) => x >= px0 && x <= px1 && y >= py0 && y <= py1;
  const insetY = Math.round(rect.height * 0.02);
  const text = textBands(grey, img.width, rect, rect.y + insetY, rect.y + rect.height - insetY, inPortrait);
  const mrzTop = rect.y + Math.round(rect.height * (1 - MRZ_BOTTOM_SHARE));
  const bottom = textBands(grey, img.width, rect, mrzTop, rect.y + rect.height - insetY);
  const mrzBand = bottom.some((b) => b.coverage >= MRZ_MIN_COVERAGE);

  return {
    source,
    rect,
    aspectRatio: long / short,
    orientation: rect.width >= rect.height ? 'landscape' : 'portrait',
    portraitCentre,
    portraitArea: (face.width * face.height) / (rect.width * rect.height),
    portraitInside,
    textLines: text.length,
    mrzBand,
    bands: text,
  };
}

/**
 * Measure `img` (upright RGB) with the portrait's face box `face` given in the same pixel
 * coordinates: one set of measures per candidate rectangle, the background region first.
 */
export function measureDocument(img: RgbImage, face: Box): DocumentMeasures[] {
  const grey = luminance(img);
  const found = findDocumentRect(img);
  const frame: Rect = { x: 0, y: 0, width: img.width, height: img.height };
  const out: DocumentMeasures[] = [];
  if (found) {
    const region = measureInRect(img, grey, face, found, 'background');
    // A large region holding the portrait is the document: the frame around it is background, not a candidate.
    if (region.portraitInside && found.width * found.height >= MIN_DOCUMENT_SHARE * img.width * img.height) return [region];
    out.push(region);
  }
  out.push(measureInRect(img, grey, face, frame, 'frame'));
  return out;
}
