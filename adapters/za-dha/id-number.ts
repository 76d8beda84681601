/**
 * South African ID number: 13 digits YYMMDD SSSS C A Z. The birth date must exist (century
 * ambiguous, so any of 19xx/20xx), C is 0 (citizen) or 1 (permanent resident) — 2, reportedly used for refugees, is accepted too [inf] —
 * Z is a Luhn check digit over all 13 digits.
 */
import { isCalendarDate, luhnValid } from '../../src/registry/validators.ts';
import type { IdValidation } from '../../src/registry/types.ts';

export function validateZaId(input: string): IdValidation {
  const compact = input.trim().replace(/[\s\-]/g, '');
  if (!/^\d{13}$/.test(compact)) return { ok: false, reason: 'ZA_ID must be 13 digits' };
  const yy = Number(compact.slice(0, 2));
  const mm = Number(compact.slice(2, 4));
  const dd = Number(compact.slice(4, 6));
  if (!isCalendarDate(1900 + yy, mm, dd) && !isCalendarDate(2000 + yy, mm, dd)) {
    return { ok: false, reason: 'ZA_ID does not start with a valid YYMMDD birth date' };
  }
  if (!/[012]/.test(compact.charAt(10))) return { ok: false, reason: 'ZA_ID citizenship digit must be 0, 1 or 2' };
  if (!luhnValid(compact)) return { ok: false, reason: 'ZA_ID check digit does not match' };
  return { ok: true, normalised: compact };
}
