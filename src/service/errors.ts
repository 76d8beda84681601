/**
 * Maps the engine's and the registries' typed failures onto the use cases' failure kinds
 * (src/service/failures.ts). Which image failed matters: a selfie that is not an image is the
 * caller's INVALID_IMAGE, a registry photo that cannot be decoded means there is no usable reference
 * (ID_NOT_FOUND).
 */
import { EngineError } from '../engine/types.ts';
import { RegistryError } from '../registry/types.ts';
import { internalFailure, VerificationFailure } from './failures.ts';

/** Largest decoded caller image accepted (selfie, ID image), bytes. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** Retry-After (seconds) when the registry did not say. */
export const DEFAULT_RETRY_AFTER_SECONDS = { unavailable: 5, rateLimited: 30 } as const;

export function mapSelfieError(err: unknown): VerificationFailure {
  return mapImageError(err, SELFIE_TARGET);
}

export interface ImageErrorTarget {
  /** The request field, named in `details.field`. */
  field: string;
  /** Sentence subject for messages, e.g. "The selfie", "The ID image". */
  label: string;
  /** `details` of LANDMARKS_NOT_FOUND for this image. */
  noFace: Record<string, unknown>;
}

export const SELFIE_TARGET: ImageErrorTarget = { field: 'selfie', label: 'The selfie', noFace: { image: 'selfie' } };

/** A caller-supplied image (selfie, ID image): engine failures → INVALID_IMAGE or NO_FACE. */
export function mapImageError(err: unknown, target: ImageErrorTarget): VerificationFailure {
  if (err instanceof VerificationFailure) return err;
  const { field, label } = target;
  const subject = label.charAt(0).toLowerCase() + label.slice(1);
  if (err instanceof EngineError) {
    switch (err.code) {
      case 'INVALID_BASE64':
        return new VerificationFailure('INVALID_IMAGE', `${label} is not valid Base64 (send raw Base64 or a data:image/...;base64, URL).`, { field, reason: 'INVALID_BASE64' });
      case 'NOT_AN_IMAGE':
        return new VerificationFailure('INVALID_IMAGE', `${label} is not a decodable image.`, { field, reason: 'NOT_AN_IMAGE' });
      case 'UNSUPPORTED_FORMAT':
        return new VerificationFailure('INVALID_IMAGE', `${label} format is not supported; send JPEG, PNG or WebP.`, { field, reason: 'UNSUPPORTED_FORMAT' });
      case 'IMAGE_TOO_LARGE':
        // Byte size is checked before the engine runs (413); what remains is the pixel limit.
        return new VerificationFailure('INVALID_IMAGE', `${label} has too many pixels to decode safely (possible decompression bomb).`, { field, reason: 'IMAGE_TOO_LARGE' });
      case 'NO_FACE':
        return new VerificationFailure('NO_FACE', `No face could be detected in ${subject}. Ensure it is well-lit, frontal and unobstructed.`, target.noFace);
    }
  }
  return internalFailure(err);
}

/** The registry holds a photo for the record, but it is not a usable image (404: nothing the caller can retry). */
function photoUnusable(): VerificationFailure {
  return new VerificationFailure('ID_NOT_FOUND', 'The registry record for the supplied id_number has a reference photo that cannot be used.', { reason: 'PHOTO_UNUSABLE' });
}

export function mapReferenceError(err: unknown): VerificationFailure {
  if (err instanceof VerificationFailure) return err;
  if (err instanceof EngineError) {
    if (err.code === 'NO_FACE') {
      return new VerificationFailure('NO_FACE', 'No face could be detected in the registry photo on record; it may be of insufficient quality.', { image: 'reference' });
    }
    return photoUnusable();
  }
  return internalFailure(err);
}

export function mapRegistryError(err: unknown): VerificationFailure {
  if (err instanceof VerificationFailure) return err;
  if (err && typeof err === 'object' && (err as { code?: unknown }).code === 'UNKNOWN_ID_TYPE') {
    return new VerificationFailure('INVALID_ID', 'One or more fields are missing or malformed.', { id_type: (err as Error).message });
  }
  if (err instanceof RegistryError) {
    const seconds = err.options.retryAfterSeconds;
    switch (err.kind) {
      case 'INVALID_ID':
        return new VerificationFailure('INVALID_ID', 'The id_number is not valid for the id_type.', { id_number: err.message });
      case 'NOT_FOUND':
        return new VerificationFailure('ID_NOT_FOUND', 'No record was found for the supplied id_number in the source database. Verify the number and the id_type.', { reason: 'NO_RECORD' });
      case 'PHOTO_MISSING':
        return new VerificationFailure('ID_NOT_FOUND', 'A record exists for the supplied id_number, but the source database holds no reference photo for it.', { reason: 'NO_PHOTO' });
      case 'PHOTO_UNUSABLE':
        return photoUnusable();
      case 'NO_REFERENCE_FACE':
        return new VerificationFailure('ID_NOT_FOUND', 'The registry holds no reference face for the supplied id_number, so it cannot compare the selfie.', { reason: 'NO_REFERENCE_FACE' });
      case 'DOCUMENT_REJECTED':
        return new VerificationFailure('INVALID_IMAGE', `The offline e-KYC document was refused: ${err.message}.`, { field: 'aadhaar_zip', reason: err.options.reason ?? 'DOCUMENT_INVALID' });
      case 'FACE_MATCH_UNSUPPORTED':
        return new VerificationFailure('INVALID_ID', 'The id_type cannot be used for a face comparison: its registry holds no photo and does not compare faces.', { id_type: err.message });
      case 'RESTRICTED':
        return new VerificationFailure('ID_NOT_FOUND', 'The record for the supplied id_number is not available for verification.', { reason: 'RECORD_RESTRICTED' });
      case 'RATE_LIMITED':
        return new VerificationFailure('REGISTRY_UNAVAILABLE', 'The identity registry is rate-limiting requests. Retry after the delay in the Retry-After header.', { registry: 'RATE_LIMITED' }, {
          retryAfterSeconds: seconds ?? DEFAULT_RETRY_AFTER_SECONDS.rateLimited,
          cause: err,
        });
      case 'UNAVAILABLE':
      case 'MALFORMED':
        return new VerificationFailure('REGISTRY_UNAVAILABLE', 'The identity registry is temporarily unavailable. Retry after the delay in the Retry-After header.', { registry: 'UNAVAILABLE' }, {
          retryAfterSeconds: seconds ?? DEFAULT_RETRY_AFTER_SECONDS.unavailable,
          cause: err,
        });
      case 'UNAUTHORISED':
        return internalFailure(err, 'The identity registry could not be queried. Contact support with meta.request_id.');
    }
  }
  return internalFailure(err);
}
