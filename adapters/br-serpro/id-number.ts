/** Brazil CPF: 11 digits (printed `123.456.789-09`), two mod-11 check digits verified before any call. */
import { cpfValid } from '../../src/registry/validators.ts';
import type { IdValidation } from '../../src/registry/types.ts';

export function validateBrCpf(input: string): IdValidation {
  const compact = input.trim().replace(/[\s.\-]/g, '');
  if (!/^\d{11}$/.test(compact)) return { ok: false, reason: 'BR_CPF must be 11 digits (e.g. 123.456.789-09)' };
  if (!cpfValid(compact)) return { ok: false, reason: 'BR_CPF check digits do not match' };
  return { ok: true, normalised: compact };
}
