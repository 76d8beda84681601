/** Review queue: borderline results held with their two face crops; approve or reject with a note. */
import { ApiFailure, call } from './api.ts';
import { announce, field, h } from './dom.ts';
import type { ReviewCase, ReviewCaseResponse, ReviewListResponse } from './contract.ts';

const time = (iso: string) => new Date(iso).toLocaleString();

function caseDetail(c: ReviewCase, crops: { selfie: string | null; reference: string | null } | null, onDone: () => void): HTMLElement {
  const note = h('textarea', { rows: 3, maxlength: 2000 });
  const reviewer = h('input', { type: 'text', autocomplete: 'name', maxlength: 200 });
  const msg = h('div', { role: 'status' });
  const send = async (decision: 'APPROVE' | 'REJECT') => {
    try {
      await call(`/v1/reviews/${encodeURIComponent(c.id)}`, { method: 'POST', body: { decision, note: note.value, ...(reviewer.value.trim() ? { reviewer: reviewer.value.trim() } : {}) } });
      announce(`Case ${c.id} ${decision === 'APPROVE' ? 'approved' : 'rejected'}.`);
      onDone();
    } catch (err) {
      msg.replaceChildren(h('p', { class: 'error', role: 'alert' }, err instanceof ApiFailure ? `${err.code}: ${err.message}` : String(err)));
    }
  };
  const figure = (src: string | null | undefined, caption: string) =>
    h('figure', {}, src ? h('img', { src, alt: caption, width: 224, height: 224 }) : h('div', { class: 'missing' }, 'Not held'), h('figcaption', {}, caption));
  return h(
    'section',
    { class: 'case', 'aria-labelledby': `case-${c.id}` },
    h('h3', { id: `case-${c.id}` }, `Case ${c.id}`),
    h('div', { class: 'crops' }, figure(crops?.selfie, 'Selfie face crop'), figure(crops?.reference, 'Reference face crop')),
    h(
      'dl',
      {},
      h('dt', {}, 'Endpoint'), h('dd', {}, c.endpoint),
      h('dt', {}, 'Automatic result'), h('dd', {}, `${c.verdict}, score ${c.score ?? '—'} (threshold ${c.threshold})`),
      h('dt', {}, 'Why held'), h('dd', {}, c.reason === 'IN_REVIEW' ? 'The report is In Review' : 'The score is close to the threshold'),
      c.id_type ? h('dt', {}, 'ID') : null, c.id_type ? h('dd', {}, `${c.id_type} ${c.id_number_masked ?? ''}`) : null,
      h('dt', {}, 'Warnings'), h('dd', {}, c.warnings.length ? c.warnings.join(', ') : 'none'),
      h('dt', {}, 'Expires'), h('dd', {}, time(c.expires_at)),
    ),
    c.decision
      ? h('p', { class: 'decided' }, `${c.status} by ${c.decision.reviewer} at ${time(c.decision.decided_at)}${c.decision.note ? `: “${c.decision.note}”` : ''}`)
      : h(
          'form',
          { class: 'decide', onsubmit: (ev: Event) => ev.preventDefault() },
          field('Note', note, 'Why you decided so; kept with the decision.'),
          field('Reviewer (optional)', reviewer, 'Your name or e-mail; the API key id is recorded as well.'),
          h('div', { class: 'actions' }, h('button', { type: 'button', class: 'approve', onclick: () => void send('APPROVE') }, 'Approve'), h('button', { type: 'button', class: 'reject', onclick: () => void send('REJECT') }, 'Reject')),
          msg,
        ),
  );
}

export async function renderReview(main: HTMLElement): Promise<void> {
  const detail = h('div', { class: 'detail' });
  const list = h('div', { class: 'cases' });
  const refresh = h('button', { type: 'button' }, 'Refresh');

  const load = async () => {
    const r = await call<ReviewListResponse>('/v1/reviews');
    const cases = r.body.data.cases;
    if (!cases.length) {
      list.replaceChildren(h('p', {}, 'No case is waiting. Borderline results appear here for 60 minutes.'));
      return;
    }
    list.replaceChildren(
      h(
        'table',
        {},
        h('caption', {}, `${cases.length} case${cases.length === 1 ? '' : 's'} held`),
        h('thead', {}, h('tr', {}, ...['Received', 'Endpoint', 'Result', 'Score', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          ...cases.map((c) =>
            h(
              'tr',
              {},
              h('td', {}, time(c.created_at)),
              h('td', {}, c.endpoint),
              h('td', {}, c.verdict),
              h('td', {}, c.score === null ? '—' : String(c.score)),
              h('td', { class: c.status.toLowerCase() }, c.status),
              h('td', {}, h('button', { type: 'button', 'aria-label': `Open case ${c.id}`, onclick: () => void open(c.id) }, 'Open')),
            ),
          ),
        ),
      ),
    );
  };
  const open = async (id: string) => {
    const r = await call<ReviewCaseResponse>(`/v1/reviews/${encodeURIComponent(id)}`);
    if (!r.body.data.case) return void detail.replaceChildren(h('p', {}, 'This case has expired.'));
    detail.replaceChildren(
      caseDetail(r.body.data.case, r.body.data.crops, () => {
        void load();
        void open(id);
      }),
    );
    detail.querySelector<HTMLElement>('h3')?.setAttribute('tabindex', '-1');
    detail.querySelector<HTMLElement>('h3')?.focus();
  };
  refresh.addEventListener('click', () => void load());
  main.replaceChildren(h('h2', {}, 'Review queue'), refresh, list, detail);
  await load();
}
