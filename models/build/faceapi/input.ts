/**
 * Reference implementation of what face-api does *around* the nets, for feeding the ONNX
 * rebuilds the same pixels face-api's own nets see (tensor input path, tfjs cpu semantics):
 *
 *  - faceApiSquareInput: NetInput.toBatchTensor(size, centred) — zero-pad the shorter axis to a
 *    square (centred: floor(diff/2) before, ceil(diff/2) after; not centred: all after), then
 *    tf.image.resizeBilinear with alignCorners = false and halfPixelCenters = false (source
 *    coordinate = destination index × in/out, no half-pixel shift), skipped when already size².
 *  - landmarksToCrop: FaceLandmark68NetBase.postProcess + FaceLandmarks: raw net output → pixel
 *    coordinates in the (unpadded) crop. face-api subtracts diff/2 for the padding, even when
 *    the padding actually placed before the crop is floor(diff/2).
 *  - dlibAlignedBox: FaceLandmarks.alignDlib — the axis-aligned square face-api crops for the
 *    recognition net (no rotation).
 *
 * Images are row-major RGB, 3 values per pixel.
 */

export interface RgbImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The zero padding face-api's padToSquare adds to a width×height image, in pixels. */
export function faceApiPadding(width: number, height: number, centred: boolean): { left: number; top: number; right: number; bottom: number } {
  const diff = Math.abs(width - height);
  const after = Math.round(diff * (centred ? 0.5 : 1));
  const before = diff - after;
  return width < height ? { left: before, top: 0, right: after, bottom: 0 } : { left: 0, top: before, right: 0, bottom: after };
}

/** face-api's square, resized net input (size×size×3 float32, values still 0..255). */
export function faceApiSquareInput(img: RgbImage, size: number, centred: boolean): Float32Array {
  const pad = faceApiPadding(img.width, img.height, centred);
  const side = Math.max(img.width, img.height);
  // Padded square, as float32 (face-api casts to float32 before concatenating the zeros).
  const sq = new Float32Array(side * side * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * 3;
      const d = ((y + pad.top) * side + x + pad.left) * 3;
      sq[d] = img.data[s]!;
      sq[d + 1] = img.data[s + 1]!;
      sq[d + 2] = img.data[s + 2]!;
    }
  }
  if (side === size) return sq;
  const out = new Float32Array(size * size * 3);
  const ratio = side / size;
  for (let r = 0; r < size; r++) {
    const fy = ratio * r;
    const y0 = Math.max(0, Math.floor(fy));
    const y1 = Math.min(side - 1, Math.ceil(fy));
    const wy = fy - y0;
    for (let c = 0; c < size; c++) {
      const fx = ratio * c;
      const x0 = Math.max(0, Math.floor(fx));
      const x1 = Math.min(side - 1, Math.ceil(fx));
      const wx = fx - x0;
      for (let k = 0; k < 3; k++) {
        const tl = sq[(y0 * side + x0) * 3 + k]!;
        const tr = sq[(y0 * side + x1) * 3 + k]!;
        const bl = sq[(y1 * side + x0) * 3 + k]!;
        const br = sq[(y1 * side + x1) * 3 + k]!;
        const top = tl + (tr - tl) * wx;
        const bottom = bl + (br - bl) * wx;
        out[(r * size + c) * 3 + k] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

/**
 * The landmark net's raw output (x0, y0, …, fractions of the padded square) → pixel coordinates
 * in the width×height crop it was computed from, exactly as face-api maps them. Add the crop's
 * top-left corner for image coordinates (face-api adds the detection box's x, y).
 */
export function landmarksToCrop(raw: ArrayLike<number>, width: number, height: number): Float64Array {
  const side = Math.max(width, height);
  const padX = width < height ? (height - width) / 2 : 0;
  const padY = height < width ? (width - height) / 2 : 0;
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i += 2) {
    out[i] = raw[i]! * side - padX;
    out[i + 1] = raw[i + 1]! * side - padY;
  }
  return out;
}

/**
 * face-api's crop for the recognition net from 68 landmarks in image coordinates (interleaved
 * x, y): centres of the eyes (points 36–41, 42–47) and mouth (48–67); side = floor(mean
 * eye-to-mouth distance / 0.45); the square is placed with the centroid of the three centres at
 * (0.5, 0.43) of the side. `landmarkCrop` is the size of the crop the landmarks were computed
 * on, which face-api uses to cap the side (rarely binding). The caller still clips the box to
 * the image (face-api: clipAtImageBorders, then floor).
 */
export function dlibAlignedBox(points: ArrayLike<number>, landmarkCrop?: { width: number; height: number }): Box {
  const centre = (from: number, to: number) => {
    let x = 0;
    let y = 0;
    for (let i = from; i <= to; i++) {
      x += points[2 * i]!;
      y += points[2 * i + 1]!;
    }
    const n = to - from + 1;
    return { x: x / n, y: y / n };
  };
  const left = centre(36, 41);
  const right = centre(42, 47);
  const mouth = centre(48, 67);
  const dist = (a: { x: number; y: number }) => Math.hypot(mouth.x - a.x, mouth.y - a.y);
  const size = Math.floor((dist(left) + dist(right)) / 2 / 0.45);
  const ref = { x: (left.x + right.x + mouth.x) / 3, y: (left.y + right.y + mouth.y) / 3 };
  const x = Math.floor(Math.max(0, ref.x - 0.5 * size));
  const y = Math.floor(Math.max(0, ref.y - 0.43 * size));
  const cap = landmarkCrop ?? { width: Number.POSITIVE_INFINITY, height: Number.POSITIVE_INFINITY };
  return { x, y, width: Math.min(size, cap.width + x), height: Math.min(size, cap.height + y) };
}
