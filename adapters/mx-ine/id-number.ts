/**
 * Mexico: CURP (18 characters, check digit) and the INE voter credential. INE numbers come in the
 * two forms providers accept [client]: `CIC-identificador ciudadano` (9 + 9 digits, credentials of
 * model E and later) or `clave de elector-emission number` (18 characters + 2 digits, older models).
 */
import { curpCheckDigit, isCalendarDate } from '../../src/registry/validators.ts';
import type { IdValidation } from '../../src/registry/types.ts';

const CURP = /^[A-Z]{4}(\d{2})(\d{2})(\d{2})[HM][A-Z]{5}([0-9A-Z])(\d)$/;
/** Six name letters, birth date YYMMDD, state 01–32, sex H/M, three-digit homoclave. */
const CLAVE_DE_ELECTOR = /^[A-Z]{6}(\d{2})(\d{2})(\d{2})(\d{2})[HM]\d{3}$/;

/** A YYMMDD that is a real date in some century (the check character or context picks which). */
function realDate(yy: string, mm: string, dd: string): boolean {
  return isCalendarDate(2000 + Number(yy), Number(mm), Number(dd)) || isCalendarDate(1900 + Number(yy), Number(mm), Number(dd));
}

export function validateMxCurp(input: string): IdValidation {
  const c = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = CURP.exec(c);
  if (!m) return { ok: false, reason: 'MX_CURP must be 18 characters: 4 letters, birth date YYMMDD, H/M, 5 letters, 1 character, 1 digit' };
  if (!realDate(m[1]!, m[2]!, m[3]!)) return { ok: false, reason: 'MX_CURP carries an impossible birth date' };
  if (curpCheckDigit(c.slice(0, 17)) !== Number(m[5])) return { ok: false, reason: 'MX_CURP check digit does not match' };
  return { ok: true, normalised: c };
}

export type IneKey = { kind: 'cic'; cic: string; identificadorCiudadano: string } | { kind: 'clave'; claveDeElector: string; numeroEmision: string };

/** Parse a normalised MX_INE number into the fields the provider takes. */
export function parseIneKey(normalised: string): IneKey {
  const [a, b] = normalised.split('-') as [string, string];
  return /^\d{9}$/.test(a) ? { kind: 'cic', cic: a, identificadorCiudadano: b } : { kind: 'clave', claveDeElector: a, numeroEmision: b };
}

export function validateMxIne(input: string): IdValidation {
  const c = input.trim().toUpperCase().replace(/\s+/g, '');
  const cic = /^(\d{9})-?(\d{9})$/.exec(c);
  if (cic) return { ok: true, normalised: `${cic[1]}-${cic[2]}` };
  const clave = /^([A-Z0-9]{18})-?(\d{2})$/.exec(c);
  if (!clave) {
    return { ok: false, reason: 'MX_INE must be CIC-identificador ciudadano (9-9 digits) or clave de elector-emission number (18 characters-2 digits)' };
  }
  const m = CLAVE_DE_ELECTOR.exec(clave[1]!);
  if (!m) return { ok: false, reason: 'MX_INE clave de elector must be 6 letters, YYMMDD, a 2-digit state, H/M and 3 digits' };
  if (!realDate(m[1]!, m[2]!, m[3]!)) return { ok: false, reason: 'MX_INE clave de elector carries an impossible birth date' };
  const state = Number(m[4]);
  if (state < 1 || state > 32) return { ok: false, reason: 'MX_INE clave de elector carries an unknown state code' };
  return { ok: true, normalised: `${clave[1]}-${clave[2]}` };
}
