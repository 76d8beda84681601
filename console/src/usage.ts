/** Usage: totals and a daily chart from GET /v1/usage. */
import { call } from './api.ts';
import { h, svg } from './dom.ts';
import type { UsageResponse as Usage } from './contract.ts';

const SERIES = [
  { key: 'confirmed', label: 'Confirmed', cls: 'ok' },
  { key: 'mismatch', label: 'Mismatch', cls: 'bad' },
  { key: 'errors', label: 'Errors', cls: 'err' },
] as const;

function chart(daily: Usage['data']['daily']): Element {
  const days = daily.slice(-30);
  const W = 640;
  const H = 200;
  const pad = 24;
  const max = Math.max(1, ...days.map((d) => d.requests));
  // At most 48 px a day, so a few days still read as bars, not as a filled box.
  const bw = Math.min(48, (W - pad * 2) / Math.max(1, days.length));
  const bars: Element[] = [];
  days.forEach((d, i) => {
    let y = H - pad;
    for (const s of SERIES) {
      const v = d[s.key];
      if (!v) continue;
      const height = ((H - pad * 2) * v) / max;
      y -= height;
      bars.push(svg('rect', { x: pad + i * bw + 2, y, width: Math.max(1, bw - 4), height, class: s.cls }, svg('title', {}, `${d.date}: ${v} ${s.label.toLowerCase()}`)));
    }
    if (days.length <= 10 || i % Math.ceil(days.length / 10) === 0) bars.push(svg('text', { x: pad + i * bw + bw / 2, y: H - 6, 'text-anchor': 'middle' }, d.date.slice(5)));
  });
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Daily requests by result, ${days.length} days, at most ${max} a day`, class: 'chart' }, svg('text', { x: pad, y: 14 }, `max ${max}/day`), ...bars);
}

export async function renderUsage(main: HTMLElement): Promise<void> {
  const r = await call<Usage>('/v1/usage');
  const { totals, daily, endpoint } = r.body.data;
  main.replaceChildren(
    h('h2', {}, 'Usage'),
    h('p', {}, `Endpoint ${endpoint}. Only CONFIRMED results are charged.`),
    h(
      'table',
      { class: 'totals' },
      h('caption', {}, 'Totals'),
      h('thead', {}, h('tr', {}, ...['Requests', 'Confirmed', 'Mismatch', 'Errors', 'Charged'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, h('tr', {}, ...[totals.requests, totals.confirmed, totals.mismatch, totals.errors, totals.charged].map((v) => h('td', {}, v)))),
    ),
    daily.length ? chart(daily) : h('p', {}, 'No requests yet.'),
    h('ul', { class: 'legend' }, ...SERIES.map((s) => h('li', { class: s.cls }, s.label))),
    daily.length
      ? h(
          'details',
          {},
          h('summary', {}, 'Daily figures'),
          h('table', {}, h('thead', {}, h('tr', {}, ...['Day', 'Requests', 'Confirmed', 'Mismatch', 'Errors', 'Charged'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...daily.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.date), ...[d.requests, d.confirmed, d.mismatch, d.errors, d.charged].map((v) => h('td', {}, v)))))),
        )
      : '',
  );
}
