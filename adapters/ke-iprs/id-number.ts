/**
 * Kenya national ID number: 7–8 digits, no check digit [inf: some clients enforce exactly 8].
 * Leading zeros are kept; separators are stripped.
 */
import type { IdValidation } from '../../src/registry/types.ts';

export function validateKeNationalId(input: string): IdValidation {
  const compact = input.trim().replace(/[\s\-]/g, '');
  if (!/^\d{7,8}$/.test(compact)) return { ok: false, reason: 'KE_NATIONAL_ID must be 7 or 8 digits' };
  return { ok: true, normalised: compact };
}
