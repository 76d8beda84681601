/**
 * Image decoding: base64 / data URL / bytes → upright sRGB RGB pixels, with hard limits.
 * Every failure is an EngineError, never a crash.
 */
import sharp from 'sharp';
import { EngineError, type Box, type ImageInput } from './types.ts';

export interface RgbImage {
  /** Interleaved RGB, 8 bits per channel, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DecodedImage extends RgbImage {
  format: 'jpeg' | 'png' | 'webp';
  /** Size of the upright image before any downscaling. */
  originalWidth: number;
  originalHeight: number;
  /** original = decoded × scale + offset (scale ≥ 1 when the image was shrunk on load). */
  scale: number;
  /** Where a decoded region starts, in original pixels (0 for the whole image). */
  offsetX: number;
  offsetY: number;
}

export interface DecodeLimits {
  /** Encoded bytes. The contract allows 10 MB. */
  maxBytes: number;
  /** Decoded pixels (width × height): guards against decompression bombs. */
  maxPixels: number;
  /** If set, images whose longer side exceeds this are downscaled while decoding. */
  maxSide?: number;
}

export const defaultDecodeLimits: DecodeLimits = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 };

const SUPPORTED = new Set(['jpeg', 'png', 'webp']);
const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Turns raw base64 or a data URL into bytes; rejects anything that is not base64. */
export function bytesFromInput(input: ImageInput, maxBytes = defaultDecodeLimits.maxBytes): Uint8Array {
  if (typeof input !== 'string') return input;
  let text = input.trim();
  const prefix = DATA_URL.exec(text);
  if (prefix) text = text.slice(prefix[0].length);
  else if (text.startsWith('data:')) throw new EngineError('INVALID_BASE64', 'The data URL is not base64-encoded (expected data:image/...;base64,...).');
  text = text.replace(/\s+/g, '');
  if (text.length === 0) throw new EngineError('INVALID_BASE64', 'The image is empty.');
  // Reject before allocating: base64 expands by 4/3.
  if (Math.floor((text.length * 3) / 4) > maxBytes + 3) {
    throw new EngineError('IMAGE_TOO_LARGE', `The image is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  }
  const urlSafe = !BASE64.test(text);
  if ((urlSafe && !BASE64URL.test(text)) || text.length % 4 === 1) {
    throw new EngineError('INVALID_BASE64', 'The image is not valid base64.');
  }
  return new Uint8Array(Buffer.from(text, urlSafe ? 'base64url' : 'base64'));
}

/** True when an embedded ICC profile names itself sRGB (its description tag). */
export function hasSrgbProfile(icc: Uint8Array | undefined): boolean {
  if (!icc) return false;
  return /sRGB/.test(Buffer.from(icc.subarray(0, 2048)).toString('latin1'));
}

/** A validated image whose pixels are not decoded yet: read once, decoded at one or more sizes. */
export interface ImageHeader {
  bytes: Uint8Array;
  format: DecodedImage['format'];
  /** Size of the upright image (EXIF orientation applied). */
  originalWidth: number;
  originalHeight: number;
  /** EXIF orientation (1 = upright as stored). */
  orientation: number;
  /** Progressive JPEG: every scan must be read before any row, so crops and re-decodes save little. */
  progressive: boolean;
  /** Embedded ICC profile, if any, names itself sRGB. */
  srgbProfile: boolean;
}

/** What to decode: the image shrunk by `shrink` (original ÷ decoded, ≥ 1), optionally only `region`. */
export interface DecodeRequest {
  shrink: number;
  /** In original (upright) pixels; clamped to the image. */
  region?: Box;
}

/**
 * Checks the input and reads the header only: size limits, format, and the decompression-bomb
 * check on the declared pixel count, all before any pixel is decoded.
 */
export async function readImageHeader(input: ImageInput, limits: DecodeLimits = defaultDecodeLimits): Promise<ImageHeader> {
  const bytes = bytesFromInput(input, limits.maxBytes);
  if (bytes.length > limits.maxBytes) {
    throw new EngineError('IMAGE_TOO_LARGE', `The image is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB.`);
  }
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new EngineError('NOT_AN_IMAGE', 'The data is not a readable image.');
    });
  if (!meta.format || !SUPPORTED.has(meta.format)) {
    throw new EngineError('UNSUPPORTED_FORMAT', `Unsupported image format${meta.format ? ` '${meta.format}'` : ''}: use JPEG, PNG or WebP.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > limits.maxPixels) {
    throw new EngineError('IMAGE_TOO_LARGE', `The image has ${width}×${height} pixels; the limit is ${limits.maxPixels.toLocaleString('en')} pixels.`);
  }
  if (width < 16 || height < 16) throw new EngineError('NOT_AN_IMAGE', `The image is too small (${width}×${height}).`);
  const orientation = meta.orientation ?? 1;
  // EXIF orientations 5–8 swap the axes.
  const swap = orientation >= 5;
  return {
    bytes,
    format: meta.format as DecodedImage['format'],
    originalWidth: swap ? height : width,
    originalHeight: swap ? width : height,
    orientation,
    progressive: meta.isProgressive === true,
    srgbProfile: hasSrgbProfile(meta.icc),
  };
}

/**
 * Decodes the pixels, upright and in sRGB: the whole image (shrunk to `limits.maxSide`), or as
 * `request` asks. JPEG and WebP shrink while decoding, and a region's lower rows are not decoded.
 */
export async function decodePixels(header: ImageHeader, limits: DecodeLimits = defaultDecodeLimits, request?: DecodeRequest): Promise<DecodedImage> {
  const { bytes, originalWidth: W, originalHeight: H } = header;
  try {
    let pipeline = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated' }).rotate();
    // Converting through an embedded sRGB profile leaves every pixel unchanged but doubles the
    // decode time of a typical camera JPEG; other profiles (Display P3, Adobe RGB) are converted.
    pipeline = header.srgbProfile ? pipeline.keepIccProfile() : pipeline.toColourspace('srgb');
    pipeline = pipeline.flatten({ background: { r: 255, g: 255, b: 255 } });
    const longer = Math.max(W, H);
    let left = 0, top = 0, scaledW = W, scaledH = H;
    if (!request) {
      if (limits.maxSide && longer > limits.maxSide) {
        pipeline = pipeline.resize({ width: W >= H ? limits.maxSide : undefined, height: H > W ? limits.maxSide : undefined, fit: 'inside', fastShrinkOnLoad: true });
      }
    } else {
      const shrink = Math.max(1, request.shrink, limits.maxSide ? longer / limits.maxSide : 1);
      scaledW = Math.max(1, Math.round(W / shrink));
      scaledH = Math.max(1, Math.round(H / shrink));
      if (scaledW < W || scaledH < H) pipeline = pipeline.resize(scaledW, scaledH, { fit: 'fill', fastShrinkOnLoad: true });
      if (request.region) {
        const r = request.region, sx = scaledW / W, sy = scaledH / H;
        left = Math.min(scaledW - 1, Math.max(0, Math.floor(r.x * sx)));
        top = Math.min(scaledH - 1, Math.max(0, Math.floor(r.y * sy)));
        const right = Math.max(left + 1, Math.min(scaledW, Math.ceil((r.x + r.width) * sx)));
        const bottom = Math.max(top + 1, Math.min(scaledH, Math.ceil((r.y + r.height) * sy)));
        if (right - left < scaledW || bottom - top < scaledH) pipeline = pipeline.extract({ left, top, width: right - left, height: bottom - top });
      }
    }
    const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    // Without a request the size is sharp's; the image is then whole, so only the scale matters.
    const scale = request ? W / scaledW : W / info.width;
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      format: header.format,
      originalWidth: W,
      originalHeight: H,
      scale,
      offsetX: left * scale,
      offsetY: top * (H / scaledH),
    };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError('NOT_AN_IMAGE', 'The image is corrupt or truncated and could not be decoded.');
  }
}

export async function decodeImage(input: ImageInput, limits: DecodeLimits = defaultDecodeLimits): Promise<DecodedImage> {
  return decodePixels(await readImageHeader(input, limits), limits);
}

/** Rec. 601 luma (JPEG's Y) of pixel `pixel` of interleaved RGB data. */
export function lumaAt(rgb: ArrayLike<number>, pixel: number): number {
  return 0.299 * rgb[pixel * 3]! + 0.587 * rgb[pixel * 3 + 1]! + 0.114 * rgb[pixel * 3 + 2]!;
}
