/**
 * Face-scaled decoding of large JPEGs: faces are found on a small preview, then only the part of
 * the photo around them is decoded, and only as large as the primary face needs.
 */
import sharp from 'sharp';
import type { Detection } from './components.ts';
import { decodePixels, type DecodedImage, type DecodeLimits, type DecodeRequest, type ImageHeader } from './decode.ts';
import type { Box, Point } from './types.ts';

/** Longer side of the detection preview. BlazeFace sees 256 px and YuNet 640 px, so detecting on 640 px loses nothing. */
export const PREVIEW_SIDE = 640;

/**
 * Face box width the working image should give the primary face. face-api's 150-px dlib chip
 * covers about 130 px of detector box at 1:1 and the landmark net's 112-px crop about 100 px;
 * 224 keeps both sampled at or above their own resolution, with room for the 1.07 jitter zoom.
 * Larger buys nothing: the warps then average up to 4×4 source taps per output pixel.
 */
export const WORKING_FACE_PX = 224;

/**
 * The preview is a separate decode only when libjpeg shrinks it while decoding (sharp does so from
 * 3× on) and the photo is large enough to repay a second decode: measured, from 3× to 4× (1920 to
 * 2560 px) preview plus working decode cost as much as they save, so such photos are decoded once.
 */
const MIN_PREVIEW_SHRINK = 4;

/**
 * Context kept around each face in the working image, in face widths per side: enough for the
 * aligned crops (liveness 1.6×, review and quality crops 1.5×) of a face rolled by 45°.
 */
const REGION_MARGIN = 1;

/**
 * How to decode the image for detection, or undefined to decode it once, whole, for everything:
 * small images, PNG, WebP (libwebp scales only its output, so a preview costs a full decode) and
 * progressive JPEGs (all scans are read whatever the size or crop).
 */
export function previewRequest(header: ImageHeader): DecodeRequest | undefined {
  if (header.format !== 'jpeg' || header.progressive) return undefined;
  const shrink = Math.max(header.originalWidth, header.originalHeight) / PREVIEW_SIDE;
  return shrink >= MIN_PREVIEW_SHRINK ? { shrink } : undefined;
}

/**
 * The image everything after detection runs on: the preview if it already shows the primary face
 * large enough, else the faces' surroundings decoded at the scale that gives the primary face
 * WORKING_FACE_PX (never above the original size or the maxSide cap). Baseline JPEG rows below
 * the region are never decoded.
 */
export async function decodeWorking(header: ImageHeader, limits: DecodeLimits, preview: DecodedImage, detections: Detection[]): Promise<DecodedImage> {
  const longer = Math.max(header.originalWidth, header.originalHeight);
  const faceWidth = detections[0]!.box.width * preview.scale;
  const shrink = Math.max(1, faceWidth / WORKING_FACE_PX, limits.maxSide ? longer / limits.maxSide : 1);
  if (shrink >= preview.scale) return preview;
  // sharp applies EXIF orientation before a crop and then cannot shrink on load: keep those whole.
  const region = header.orientation === 1 ? facesRegion(detections.map((d) => toOriginal(d.box, preview)), header.originalWidth, header.originalHeight) : undefined;
  return decodePixels(header, limits, { shrink, region });
}

function toOriginal(box: Box, image: DecodedImage): Box {
  return { x: box.x * image.scale + image.offsetX, y: box.y * image.scale + image.offsetY, width: box.width * image.scale, height: box.height * image.scale };
}

/** Bounding box of all faces with REGION_MARGIN around each, clamped to the image. */
function facesRegion(boxes: Box[], width: number, height: number): Box {
  const m = (b: Box) => REGION_MARGIN * Math.max(b.width, b.height);
  const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x - m(b))));
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y - m(b))));
  const x1 = Math.min(width, Math.max(...boxes.map((b) => b.x + b.width + m(b))));
  const y1 = Math.min(height, Math.max(...boxes.map((b) => b.y + b.height + m(b))));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Detections found on `from` in the pixel coordinates of `to` (the same photo at another scale or crop). */
export function rescaleDetections(detections: Detection[], from: DecodedImage, to: DecodedImage): Detection[] {
  if (from === to) return detections;
  const k = from.scale / to.scale;
  const p = (q: Point): Point => ({ x: (q.x * from.scale + from.offsetX - to.offsetX) / to.scale, y: (q.y * from.scale + from.offsetY - to.offsetY) / to.scale });
  return detections.map((d) => ({
    ...d,
    box: { ...p(d.box), width: d.box.width * k, height: d.box.height * k },
    fivePoint: d.fivePoint?.map(p),
    keypoints: d.keypoints?.map(p),
  }));
}

/**
 * When the primary face is this much larger than WORKING_FACE_PX in an image decoded whole, the
 * faces' surroundings are resampled once to the working size: the landmark, recognition and
 * quality warps then read one source pixel per output pixel instead of averaging up to 4×4, which
 * costs more than the one resize.
 */
const RESAMPLE_ABOVE = 1.2;

/** The decoded image, or its faces' surroundings downscaled so the primary face is WORKING_FACE_PX wide. */
export async function shrinkToWorking(image: DecodedImage, detections: Detection[]): Promise<DecodedImage> {
  const faceWidth = detections[0]!.box.width;
  if (faceWidth < RESAMPLE_ABOVE * WORKING_FACE_PX) return image;
  const k = WORKING_FACE_PX / faceWidth;
  const region = facesRegion(detections.map((d) => d.box), image.width, image.height);
  const left = Math.floor(region.x), top = Math.floor(region.y);
  const width = Math.min(image.width - left, Math.ceil(region.x + region.width) - left);
  const height = Math.min(image.height - top, Math.ceil(region.y + region.height) - top);
  const outW = Math.max(1, Math.round(width * k)), outH = Math.max(1, Math.round(height * k));
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left, top, width, height })
    .resize(outW, outH, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // original = decoded × scale + offset, through both steps.
  const sx = width / outW;
  return {
    ...image,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: outW,
    height: outH,
    scale: image.scale * sx,
    offsetX: image.offsetX + left * image.scale,
    offsetY: image.offsetY + top * image.scale,
  };
}
