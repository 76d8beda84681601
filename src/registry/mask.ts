/**
 * Masking of ID numbers for logs and error messages. Registries' terms and data-protection law forbid
 * writing full ID numbers to logs; keep only the last few characters.
 */

/** Mask an ID number, keeping the last `keep` (default 4, at most a third of the length) characters. */
export function maskIdNumber(idNumber: string, keep = 4): string {
  const compact = idNumber.replace(/[\s.\-/]+/g, '');
  if (compact.length === 0) return '';
  const visible = Math.min(keep, Math.floor(compact.length / 3));
  return '*'.repeat(compact.length - visible) + compact.slice(compact.length - visible);
}
