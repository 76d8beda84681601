/**
 * Peru DNI/CUI: 8 digits, optionally followed by the check character printed on the card
 * (digit form "65432110987"[c] or letter form "KJIHGFEDCBA"[c], c = Σ digit·(3,2,7,6,5,4,3,2) mod 11).
 * RENIEC is queried with the 8 digits only.
 */
import { peruDniCheck } from '../../src/registry/validators.ts';
import type { IdValidation } from '../../src/registry/types.ts';

export function validatePeDni(input: string): IdValidation {
  const compact = input.trim().toUpperCase().replace(/[\s.\-]/g, '');
  const m = /^(\d{8})([0-9A-K])?$/.exec(compact);
  if (!m) return { ok: false, reason: 'PE_DNI must be 8 digits, optionally followed by its check character' };
  const body = m[1]!;
  const check = m[2];
  if (check !== undefined) {
    const expected = peruDniCheck(body);
    if (check !== expected.digit && check !== expected.letter) {
      return { ok: false, reason: 'PE_DNI check character does not match' };
    }
  }
  return { ok: true, normalised: body };
}
