/** SHA-256 of the image bytes a receipt refers to: computed in memory, nothing kept. */
import { createHash } from 'node:crypto';
import { bytesFromInput } from '../engine/decode.ts';
import type { ImageInput } from '../engine/types.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Hash of the decoded image (raw base64 or data URL → bytes), i.e. of the file the caller holds, so
 * `sha256sum selfie.jpg` reproduces it. Call after the engine accepted the input.
 */
export function imageSha256(input: ImageInput): string {
  return sha256Hex(bytesFromInput(input, Number.POSITIVE_INFINITY));
}
