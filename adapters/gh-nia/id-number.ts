/**
 * Ghana Card PIN: `GHA-` + 9 digits + `-` + 1 check digit. The check algorithm is unpublished
 * (one repository claims Luhn, unverified), so only the format is validated [inf].
 * Accepts lower case and missing hyphens; normalises to `GHA-123456789-0`.
 */
import type { IdValidation } from '../../src/registry/types.ts';

export function validateGhanaCard(input: string): IdValidation {
  const compact = input.trim().toUpperCase().replace(/[\s\-]/g, '');
  const m = /^GHA(\d{9})(\d)$/.exec(compact);
  if (!m) return { ok: false, reason: 'GH_GHANA_CARD must look like GHA-123456789-0' };
  return { ok: true, normalised: `GHA-${m[1]}-${m[2]}` };
}
