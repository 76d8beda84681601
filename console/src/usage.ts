/** Usage: totals and a daily chart from GET /v1/usage, for the metered endpoint chosen in a selector. */
import { call } from './api.ts';
import { announce, field, h, svg } from './dom.ts';
import type { UsageResponse as Usage } from './contract.ts';

type Endpoint = Usage['data']['endpoint'];

/** Every metered endpoint with its charge rule; `satisfies` fails the build when the API gains or loses one. */
const ENDPOINTS = {
  '/v1/face-comparison': { name: 'Face comparison', charged: 'Only CONFIRMED results are charged.' },
  '/v1/face-match': { name: 'Face match', charged: 'Every completed result is charged (FACE_MATCH, FACE_MISMATCH, NO_FACE_DETECTED, document codes); errors never are.' },
  '/v1/face-match-report': { name: 'Face match report', charged: 'Every completed report is charged (Approved, Rejected, In Review); errors never are.' },
} satisfies Record<Endpoint, { name: string; charged: string }>;

type Day = Usage['data']['daily'][number];

/**
 * The stacked series. "Other" is what the counts leave over: completed results that are neither a
 * match nor a mismatch (NO_FACE_DETECTED, the document codes, In Review), charged on two products.
 */
const SERIES = [
  { label: 'Confirmed', cls: 'ok', value: (d: Day) => d.confirmed },
  { label: 'Mismatch', cls: 'bad', value: (d: Day) => d.mismatch },
  { label: 'Other results', cls: 'other', value: (d: Day) => Math.max(0, d.requests - d.confirmed - d.mismatch - d.errors) },
  { label: 'Errors', cls: 'err', value: (d: Day) => d.errors },
] as const;

function chart(daily: Usage['data']['daily'], name: string): Element {
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
      const v = s.value(d);
      if (!v) continue;
      const height = ((H - pad * 2) * v) / max;
      y -= height;
      bars.push(svg('rect', { x: pad + i * bw + 2, y, width: Math.max(1, bw - 4), height, class: s.cls }, svg('title', {}, `${d.date}: ${v} ${s.label.toLowerCase()}`)));
    }
    if (days.length <= 10 || i % Math.ceil(days.length / 10) === 0) bars.push(svg('text', { x: pad + i * bw + bw / 2, y: H - 6, 'text-anchor': 'middle' }, d.date.slice(5)));
  });
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${name}: daily requests by result, ${days.length} days, at most ${max} a day`, class: 'chart' }, svg('text', { x: pad, y: 14 }, `max ${max}/day`), ...bars);
}

/** Totals, chart, legend and daily table of one endpoint. */
function report({ endpoint, totals, daily }: Usage['data']): HTMLElement {
  const { name, charged } = ENDPOINTS[endpoint];
  return h(
    'section',
    { class: 'usage', 'aria-label': `Usage of ${name}` },
    h('h3', {}, `${name} `, h('code', {}, endpoint)),
    h('p', {}, charged),
    // Scrolls on its own rather than widening the page on the narrowest phones.
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'totals' },
        h('caption', {}, `Totals, ${name}`),
        h('thead', {}, h('tr', {}, ...['Requests', 'Confirmed', 'Mismatch', 'Errors', 'Charged'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, h('tr', {}, ...[totals.requests, totals.confirmed, totals.mismatch, totals.errors, totals.charged].map((v) => h('td', {}, v)))),
      ),
    ),
    daily.length ? chart(daily, name) : h('p', {}, 'No requests yet.'),
    daily.length ? h('ul', { class: 'legend' }, ...SERIES.map((s) => h('li', { class: s.cls }, s.label))) : null,
    daily.length
      ? h(
          'details',
          {},
          h('summary', {}, 'Daily figures'),
          h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ...['Day', 'Requests', 'Confirmed', 'Mismatch', 'Errors', 'Charged'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...daily.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.date), ...[d.requests, d.confirmed, d.mismatch, d.errors, d.charged].map((v) => h('td', {}, v))))))),
        )
      : null,
  );
}

const usageOf = async (endpoint: Endpoint) => (await call<Usage>(`/v1/usage?endpoint=${encodeURIComponent(endpoint)}`)).body.data;

export async function renderUsage(main: HTMLElement): Promise<void> {
  const first = await usageOf('/v1/face-comparison');
  const picker = h('select', {}, ...Object.entries(ENDPOINTS).map(([path, e]) => h('option', { value: path }, `${e.name} (${path})`)));
  // Announced politely when the selection changes, so a screen reader hears that the figures were replaced.
  const output = h('div', { 'aria-live': 'polite' }, report(first));
  picker.addEventListener('change', async () => {
    const endpoint = picker.value as Endpoint;
    output.setAttribute('aria-busy', 'true');
    try {
      output.replaceChildren(report(await usageOf(endpoint)));
      announce(`Showing usage of ${ENDPOINTS[endpoint].name}.`);
    } catch (err) {
      output.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load the usage of ${ENDPOINTS[endpoint].name}: ${(err as Error).message}`));
    } finally {
      output.removeAttribute('aria-busy');
    }
  });
  main.replaceChildren(h('h2', {}, 'Usage'), h('div', { class: 'picker endpoint' }, field('Endpoint', picker, 'Each product is metered and charged on its own.')), output);
}
