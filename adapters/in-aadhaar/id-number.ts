/**
 * India Aadhaar for the offline e-KYC flow: the caller gives the last 4 digits of the Aadhaar number
 * (what the e-KYC file's referenceId carries), or the full 12 digits, checked with Verhoeff. Only the
 * last 4 are kept: the number is never stored or logged in full.
 */
import { verhoeffValid } from '../../src/registry/validators.ts';
import type { IdValidation } from '../../src/registry/types.ts';

export function validateInAadhaar(input: string): IdValidation {
  const compact = input.trim().replace(/[\s\-]/g, '');
  if (/^\d{4}$/.test(compact)) return { ok: true, normalised: compact };
  if (!/^\d{12}$/.test(compact)) return { ok: false, reason: 'IN_AADHAAR must be the last 4 digits of the Aadhaar number, or all 12' };
  if (/^[01]/.test(compact)) return { ok: false, reason: 'IN_AADHAAR numbers do not start with 0 or 1' };
  if (!verhoeffValid(compact)) return { ok: false, reason: 'IN_AADHAAR Verhoeff check digit does not match' };
  return { ok: true, normalised: compact.slice(-4) };
}
