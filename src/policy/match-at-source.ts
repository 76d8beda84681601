/**
 * Match at source: a registry's own similarity mapped onto our 0–1 score through the adapter's
 * documented band table. We cannot calibrate a registry's matcher (we never see its reference
 * photo), so the table only places the registry's published bands on our scale: the score tells
 * the caller which band the registry answered, and the tier and verdict follow from it.
 */
import { bandFor } from '../registry/score-table.ts';
import type { RegistryScoreBand } from '../registry/types.ts';

/** Linear within the band: the registry's [from, to) onto our [scoreFrom, scoreTo]. */
export function scoreFromRegistry(similarity: number, table: readonly RegistryScoreBand[]): number {
  const s = Math.min(1, Math.max(0, similarity));
  const b = bandFor(s, table);
  const t = b.to > b.from ? (s - b.from) / (b.to - b.from) : 0;
  return b.scoreFrom + t * (b.scoreTo - b.scoreFrom);
}
