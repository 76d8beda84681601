/**
 * Decompression bombs under the engine's pixel cap: a few kilobytes of PNG or WebP that expand to
 * tens of megapixels of flat colour. They decode (so the engine would answer "no face", which the
 * face-match products bill), and many at once hold hundreds of megabytes of pixels. A real photo or
 * scan carries detail, so its compressed size grows with its pixel count; a bomb's does not. This
 * guard reads the header only (no pixels) and refuses a large image whose expansion ratio only a
 * synthetic image reaches, as the caller's input error (uncharged).
 */
import { readImageHeader } from '../engine/decode.ts';
import { VerificationFailure } from './failures.ts';
import type { ImageErrorTarget } from './errors.ts';

/** Below this many pixels an image cannot hold much memory, whatever its ratio. */
export const BOMB_MIN_PIXELS = 4_000_000;
/**
 * Largest accepted ratio of decoded RGB bytes to encoded bytes for larger images. Camera JPEGs are
 * about 5–15:1 and PNG scans of documents well under 100:1; a blank 6300×6300 PNG is about 3000:1.
 */
export const MAX_EXPANSION_RATIO = 250;

/** Throws INVALID_IMAGE (reason IMAGE_TOO_LARGE) for a bomb; anything unreadable is left to the engine. */
export async function refuseDecompressionBomb(image: string, target: ImageErrorTarget): Promise<void> {
  let header;
  try {
    header = await readImageHeader(image);
  } catch {
    return; // not an image, too large, unsupported: the engine reports it with its own reason
  }
  const pixels = header.originalWidth * header.originalHeight;
  const ratio = (pixels * 3) / Math.max(1, header.bytes.length);
  if (pixels > BOMB_MIN_PIXELS && ratio > MAX_EXPANSION_RATIO) {
    throw new VerificationFailure(
      'INVALID_IMAGE',
      `${target.label} expands to ${header.originalWidth}×${header.originalHeight} pixels from ${header.bytes.length} bytes: refused as a possible decompression bomb.`,
      { field: target.field, reason: 'IMAGE_TOO_LARGE' },
    );
  }
}
