/** Reads a pairs CSV: header `a,b,same` and optionally `fold`; paths relative to an images folder. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface PairRow {
  a: string;
  b: string;
  same: boolean;
  fold?: number;
}

const TRUE = new Set(['1', 'true', 'yes']);
const FALSE = new Set(['0', 'false', 'no']);

export function parsePairsCsv(text: string): PairRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [ia, ib, is, iFold] = [col('a'), col('b'), col('same'), col('fold')];
  if (ia < 0 || ib < 0 || is < 0) throw new Error('pairs CSV needs a header with columns a,b,same (and optionally fold)');
  return lines.map((line, n) => {
    const cells = line.split(',').map((c) => c.trim());
    const sameText = (cells[is] ?? '').toLowerCase();
    if (!TRUE.has(sameText) && !FALSE.has(sameText)) throw new Error(`pairs CSV line ${n + 2}: 'same' must be 1/0, true/false or yes/no, got '${cells[is]}'`);
    const row: PairRow = { a: cells[ia]!, b: cells[ib]!, same: TRUE.has(sameText) };
    if (iFold >= 0 && cells[iFold] !== undefined && cells[iFold] !== '') {
      const fold = Number(cells[iFold]);
      if (!Number.isInteger(fold)) throw new Error(`pairs CSV line ${n + 2}: fold must be an integer`);
      row.fold = fold;
    }
    return row;
  });
}

export function readPairs(csvPath: string, imagesDir: string): Array<PairRow & { pathA: string; pathB: string }> {
  return parsePairsCsv(readFileSync(csvPath, 'utf8')).map((r) => ({ ...r, pathA: path.resolve(imagesDir, r.a), pathB: path.resolve(imagesDir, r.b) }));
}
