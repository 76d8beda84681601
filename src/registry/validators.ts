/**
 * Check-digit helpers shared by the adapters' ID-number validators. Pure functions over digit strings;
 * the worked examples in REGISTRIES.md are the unit tests.
 */

const DIGITS = /^\d+$/;

/** Luhn (mod 10) over a full number whose last digit is the check digit. */
export function luhnValid(number: string): boolean {
  if (!DIGITS.test(number) || number.length < 2) return false;
  return luhnSum(number) % 10 === 0;
}

/** The Luhn check digit to append to `body`. */
export function luhnCheckDigit(body: string): number {
  if (!DIGITS.test(body)) throw new TypeError('luhnCheckDigit expects digits');
  return (10 - (luhnSum(body + '0') % 10)) % 10;
}

function luhnSum(number: string): number {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** Σ digit·weight, weights aligned from the left. */
export function weightedSum(digits: string, weights: readonly number[]): number {
  if (!DIGITS.test(digits)) throw new TypeError('weightedSum expects digits');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i % weights.length] ?? 0);
  return sum;
}

/**
 * Peru DNI/CUI check character (mod 11, weights 3,2,7,6,5,4,3,2). Returns both printed forms:
 * the digit form `"65432110987"[c]` and the letter form `"KJIHGFEDCBA"[c]`.
 */
export function peruDniCheck(dni8: string): { digit: string; letter: string } {
  if (!/^\d{8}$/.test(dni8)) throw new TypeError('peruDniCheck expects 8 digits');
  const c = weightedSum(dni8, [3, 2, 7, 6, 5, 4, 3, 2]) % 11;
  return { digit: '65432110987'.charAt(c), letter: 'KJIHGFEDCBA'.charAt(c) };
}

/** The two CPF check digits for a 9-digit body (weights 10..2 then 11..2; (Σ·10) mod 11, 10 → 0). */
export function cpfCheckDigits(body9: string): string {
  if (!/^\d{9}$/.test(body9)) throw new TypeError('cpfCheckDigits expects 9 digits');
  const digit = (body: string) => {
    const weights = Array.from({ length: body.length }, (_, i) => body.length + 1 - i);
    return ((weightedSum(body, weights) * 10) % 11) % 10;
  };
  const d1 = digit(body9);
  return `${d1}${digit(body9 + d1)}`;
}

/** Brazil CPF: 11 digits whose last two are the mod-11 check digits; repeated-digit numbers are invalid. */
export function cpfValid(cpf: string): boolean {
  const n = cpf.replace(/[.\-\s]/g, '');
  if (!/^\d{11}$/.test(n) || /^(\d)\1{10}$/.test(n)) return false;
  return n.endsWith(cpfCheckDigits(n.slice(0, 9)));
}

/** Chile RUN/RUT check character: weights 2..7 repeating from the right; 11 → '0', 10 → 'K'. */
export function chileRunCheck(body: string): string {
  if (!DIGITS.test(body)) throw new TypeError('chileRunCheck expects digits');
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(body.length - 1 - i) - 48) * (2 + (i % 6));
  const r = 11 - (sum % 11);
  return r === 11 ? '0' : r === 10 ? 'K' : String(r);
}

// Verhoeff tables: dihedral group D5 multiplication, permutation, inverse.
const V_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const V_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 8, 7, 6, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const V_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

function verhoeffState(number: string, offset: number): number {
  let c = 0;
  for (let i = 0; i < number.length; i++) {
    const d = number.charCodeAt(number.length - 1 - i) - 48;
    c = V_D[c]![V_P[(i + offset) % 8]![d]!]!;
  }
  return c;
}

/** Verhoeff over a full number whose last digit is the check digit (Aadhaar). */
export function verhoeffValid(number: string): boolean {
  return DIGITS.test(number) && number.length > 1 && verhoeffState(number, 0) === 0;
}

/** The Verhoeff check digit to append to `body`. */
export function verhoeffCheckDigit(body: string): number {
  if (!DIGITS.test(body)) throw new TypeError('verhoeffCheckDigit expects digits');
  return V_INV[verhoeffState(body, 1)]!;
}

/** True when YYYY-MM-DD (or the parts) form a real calendar date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ';

/** Mexico CURP check digit over the first 17 characters: Σ index(ch)·(18−i), (10 − Σ mod 10) mod 10. */
export function curpCheckDigit(first17: string): number {
  if (first17.length !== 17) throw new TypeError('curpCheckDigit expects 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CURP_ALPHABET.indexOf(first17.charAt(i));
    if (v < 0) throw new TypeError('curpCheckDigit: character outside the CURP alphabet');
    sum += v * (18 - i);
  }
  return (10 - (sum % 10)) % 10;
}
