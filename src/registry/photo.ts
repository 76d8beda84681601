/**
 * Reference-photo decoding. Registries deliver the portrait as bare base64, a data URL, base64 wrapped
 * at 76 columns, a JSON byte array (Java clients: signed bytes) or a WCF base64 byte[]; the media
 * type is always sniffed from the magic bytes, never taken from the registry's declaration.
 */
import { RegistryError, type PhotoMediaType, type ReferencePhoto } from './types.ts';

export const DEFAULT_MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Anything shorter cannot be a usable portrait. */
const MIN_PHOTO_BYTES = 64;

const JP2_BOX = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** The image type from the leading bytes, or undefined when they are not a supported image. */
export function sniffMediaType(bytes: Uint8Array): PhotoMediaType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(bytes, [0xff, 0x4f, 0xff, 0x51]) || startsWith(bytes, JP2_BOX)) return 'image/jp2';
  return undefined;
}

export interface DecodePhotoOptions {
  adapterId?: string;
  maxBytes?: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9\-_]*={0,2}$/;

/** Strict base64 → bytes; throws PHOTO_UNUSABLE on alphabet errors or a truncated final quantum. */
export function decodeBase64Strict(text: string, adapterId?: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  const url = !BASE64.test(compact) && BASE64URL.test(compact);
  if (!BASE64.test(compact) && !url) {
    throw new RegistryError('PHOTO_UNUSABLE', 'photo is not valid base64', { adapterId });
  }
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw new RegistryError('PHOTO_UNUSABLE', 'photo base64 is truncated', { adapterId });
  return new Uint8Array(Buffer.from(compact, url ? 'base64url' : 'base64'));
}

function fromByteArray(values: readonly unknown[], adapterId?: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Java serialises byte[] as signed values -128..127.
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -128 || v > 255) {
      throw new RegistryError('PHOTO_UNUSABLE', 'photo byte array holds a non-byte value', { adapterId });
    }
    out[i] = v & 0xff;
  }
  return out;
}

/** True when the value carries no photo at all (absent, nil, empty). */
export function isEmptyPhoto(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  return false;
}

/**
 * Decode a registry photo value into bytes plus the sniffed media type.
 * Empty → PHOTO_MISSING; undecodable, too small, too large or not an image → PHOTO_UNUSABLE (a fault
 * of this record, not of the registry: never retried, never counted by the circuit breaker).
 */
export function decodePhoto(value: unknown, options: DecodePhotoOptions = {}): ReferencePhoto {
  const { adapterId, maxBytes = DEFAULT_MAX_PHOTO_BYTES } = options;
  if (isEmptyPhoto(value)) throw new RegistryError('PHOTO_MISSING', 'registry record has no photo', { adapterId });

  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    bytes = value;
  } else if (Array.isArray(value)) {
    bytes = fromByteArray(value, adapterId);
  } else if (typeof value === 'string') {
    let text = value.trim();
    const dataUrl = /^data:([^;,]*)(;[^,]*)?,/i.exec(text);
    if (dataUrl) {
      if (!/;base64$/i.test(dataUrl[2] ?? '')) {
        throw new RegistryError('PHOTO_UNUSABLE', 'photo data URL is not base64', { adapterId });
      }
      text = text.slice(dataUrl[0].length);
    }
    // Some clients serialise a byte array as a JSON string.
    if (text.startsWith('[') && text.endsWith(']')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new RegistryError('PHOTO_UNUSABLE', 'photo byte array is not valid JSON', { adapterId, cause });
      }
      return decodePhoto(parsed, options);
    }
    if (text.length > Math.ceil((maxBytes * 4) / 3) + 4096) {
      throw new RegistryError('PHOTO_UNUSABLE', 'photo exceeds the size cap', { adapterId });
    }
    bytes = decodeBase64Strict(text, adapterId);
  } else {
    throw new RegistryError('PHOTO_UNUSABLE', `photo has unexpected type ${typeof value}`, { adapterId });
  }

  if (bytes.length === 0) throw new RegistryError('PHOTO_MISSING', 'registry photo is empty', { adapterId });
  if (bytes.length > maxBytes) throw new RegistryError('PHOTO_UNUSABLE', 'photo exceeds the size cap', { adapterId });
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new RegistryError('PHOTO_UNUSABLE', 'photo bytes are not a supported image', { adapterId });
  if (bytes.length < MIN_PHOTO_BYTES) throw new RegistryError('PHOTO_UNUSABLE', 'photo is too small to be an image', { adapterId });
  if (mediaType === 'image/jpeg' && !hasJpegEnd(bytes)) {
    throw new RegistryError('PHOTO_UNUSABLE', 'JPEG photo is truncated', { adapterId });
  }
  return { bytes, mediaType };
}

/** A JPEG must carry its EOI marker (FF D9) near the end; tolerate a little trailing padding. */
function hasJpegEnd(bytes: Uint8Array): boolean {
  const from = Math.max(2, bytes.length - 64);
  for (let i = bytes.length - 2; i >= from; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}
