/** SHA-256 of the image bytes a receipt refers to: computed in memory, nothing kept. */
import { createHash } from 'node:crypto';
import type { ImageInput } from '../engine/types.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Hash of the decoded image (raw base64 or data URL → bytes), i.e. of the file the caller holds, so
 * `sha256sum selfie.jpg` reproduces it. Call only after the engine accepted the input: the input is
 * then known to be valid base64, so it is decoded without validating it again (Node's decoder skips
 * whitespace and reads both base64 alphabets, as the engine's does), which matters for 10 MB selfies.
 */
export function imageSha256(input: ImageInput): string {
  if (typeof input !== 'string') return sha256Hex(input);
  const payload = input.trimStart().startsWith('data:') ? input.slice(input.indexOf(',') + 1) : input;
  return sha256Hex(Buffer.from(payload, 'base64'));
}
