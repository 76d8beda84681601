/** Nigeria NIN: 11 digits. NIMC publishes no check-digit algorithm, so this is a format check only. */
import type { IdValidation } from '../../src/registry/types.ts';

export function validateNgNin(input: string): IdValidation {
  const compact = input.trim().replace(/[\s\-]/g, '');
  if (!/^\d{11}$/.test(compact)) return { ok: false, reason: 'NG_NIN must be 11 digits' };
  return { ok: true, normalised: compact };
}
