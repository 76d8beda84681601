/** Lookup in a registry's score table (see RegistryScoreBand). */
import type { RegistryScoreBand } from './types.ts';

/** The row holding `similarity` (clamped to [0, 1]; the last row includes its upper end); throws on a gap. */
export function bandFor(similarity: number, table: readonly RegistryScoreBand[]): RegistryScoreBand {
  const s = Math.min(1, Math.max(0, similarity));
  const last = table[table.length - 1];
  const row = table.find((b) => s >= b.from && s < b.to) ?? (last && s === last.to ? last : undefined);
  if (!row) throw new Error(`registry score table has no band for ${s}`);
  return row;
}
