/** A small standalone SVG of the ROC curve (log-scaled FMR axis), for `facematch eval --plot`. */
import type { ScoredPair } from './metrics.ts';

export function rocSvg(pairs: ScoredPair[], title: string): string {
  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  const genuine = sorted.filter((p) => p.same).length;
  const impostor = sorted.length - genuine;
  const points: Array<[number, number]> = [];
  let tp = 0, fp = 0;
  for (const p of sorted) {
    if (p.same) tp++;
    else fp++;
    points.push([fp / impostor, tp / genuine]);
  }
  const W = 480, H = 360, L = 60, B = 40, R = 20, T = 30;
  const minFmr = 1e-4;
  const x = (fmr: number) => L + ((Math.log10(Math.max(fmr, minFmr)) - Math.log10(minFmr)) / -Math.log10(minFmr)) * (W - L - R);
  const y = (tpr: number) => H - B - tpr * (H - B - T);
  const path = points.map(([f, t], i) => `${i ? 'L' : 'M'}${x(f).toFixed(1)},${y(t).toFixed(1)}`).join('');
  const ticks = [1e-4, 1e-3, 1e-2, 1e-1, 1]
    .map((f) => `<line x1="${x(f)}" y1="${T}" x2="${x(f)}" y2="${H - B}" stroke="#ddd"/><text x="${x(f)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${f}</text>`)
    .join('');
  const yticks = [0, 0.5, 0.9, 0.95, 1]
    .map((t) => `<line x1="${L}" y1="${y(t)}" x2="${W - R}" y2="${y(t)}" stroke="#eee"/><text x="${L - 6}" y="${y(t) + 4}" font-size="11" text-anchor="end">${t}</text>`)
    .join('');
  const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>${ticks}${yticks}
<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<text x="${W / 2}" y="18" font-size="13" text-anchor="middle">${esc(title)}</text>
<text x="${W / 2}" y="${H - 6}" font-size="12" text-anchor="middle">false match rate (log)</text>
<text x="14" y="${H / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">true match rate</text>
</svg>
`;
}
