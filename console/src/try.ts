/** Try it: one verification against a registry (/v1/face-comparison), or selfie vs ID image (/v1/face-match). */
import { ApiFailure, call } from './api.ts';
import { cameraButton } from './camera.ts';
import { announce, field, h, readAsDataUrl } from './dom.ts';
import type { FaceComparisonResponse as Comparison, FaceMatchEnvelope as FaceMatch, Warning } from './contract.ts';

/** An image input: upload, or (for a selfie) the camera. Keeps the chosen image as a data URL. */
function imagePicker(label: string, withCamera: boolean) {
  let value: string | null = null;
  const preview = h('img', { class: 'preview', alt: `${label} preview`, hidden: true });
  const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', ...(withCamera ? { capture: 'user' } : {}) });
  const set = (dataUrl: string) => {
    value = dataUrl;
    preview.src = dataUrl;
    preview.hidden = false;
  };
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (file) set(await readAsDataUrl(file));
  });
  const el = h('div', { class: 'picker' }, field(label, input, 'JPEG, PNG or WebP, up to 10 MB.'), withCamera ? cameraButton(set) : null, preview);
  return { el, value: () => value };
}

function crops(selfie: string | null | undefined, reference: string | null | undefined, referenceLabel: string): HTMLElement {
  const figure = (src: string | null | undefined, caption: string, missing: string) =>
    h('figure', {}, src ? h('img', { src, alt: caption, width: 224, height: 224 }) : h('div', { class: 'missing' }, missing), h('figcaption', {}, caption));
  return h('div', { class: 'crops' }, figure(selfie, 'Selfie face crop', 'No face crop'), figure(reference, referenceLabel, 'Not held: the reference came from the cache'));
}

function timingsTable(timings: Record<string, number> | undefined): HTMLElement | null {
  if (!timings) return null;
  return h(
    'table',
    { class: 'timings' },
    h('caption', {}, 'Timings (ms)'),
    h('tbody', {}, ...Object.entries(timings).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k.replace(/_/g, ' ')), h('td', {}, v.toFixed(1))))),
  );
}

function warningsList(warnings: Warning[] | undefined): HTMLElement {
  if (!warnings?.length) return h('p', {}, 'No warnings.');
  return h('ul', { class: 'warnings' }, ...warnings.map((w) => h('li', { class: w.log_type ?? '' }, h('code', {}, w.risk), w.short_description ? ` — ${w.short_description}` : '')));
}

function errorBox(err: unknown): HTMLElement {
  const msg = err instanceof ApiFailure ? `${err.code} (HTTP ${err.status}): ${err.message}` : `Request failed: ${(err as Error).message}`;
  return h('div', { class: 'error', role: 'alert' }, msg);
}

function comparisonResult(r: Comparison): HTMLElement {
  const d = r.data;
  const ok = d.match_result === 'CONFIRMED';
  return h(
    'section',
    { class: 'result', 'aria-labelledby': 'result-title' },
    h('h3', { id: 'result-title', class: ok ? 'verdict ok' : 'verdict bad' }, d.match_result),
    h(
      'dl',
      {},
      h('dt', {}, 'Score'), h('dd', { 'data-testid': 'score' }, `${d.confidence.score.toFixed(2)} (threshold ${d.confidence.threshold.toFixed(2)})`),
      h('dt', {}, 'Tier'), h('dd', {}, d.confidence.status),
      h('dt', {}, 'Reason'), h('dd', {}, `${d.details.reason_code}: ${d.details.remarks}`),
      h('dt', {}, 'Identity'), h('dd', {}, 'record' in d.identity ? `withheld (${d.identity.id_type} ${d.identity.id_number})` : [d.identity.full_name, d.identity.date_of_birth].filter(Boolean).join(', ')),
      h('dt', {}, 'Source'), h('dd', {}, `${d.details.source} (cache ${r.meta.cache})`),
      h('dt', {}, 'Request id'), h('dd', {}, h('code', {}, r.meta.request_id)),
    ),
    crops(r.meta.crops?.selfie, r.meta.crops?.reference, 'Registry photo face crop'),
    h('h4', {}, 'Warnings'),
    warningsList(d.details.warnings),
    timingsTable(r.meta.timings_ms),
    h('details', {}, h('summary', {}, 'Signed receipt'), h('textarea', { readonly: true, rows: 4, 'aria-label': 'Receipt (JWS)' }, r.meta.receipt)),
  );
}

function faceMatchResult(r: FaceMatch, headers: Headers, started: number): HTMLElement {
  const ok = r.code === 'FACE_MATCH';
  return h(
    'section',
    { class: 'result', 'aria-labelledby': 'result-title' },
    h('h3', { id: 'result-title', class: ok ? 'verdict ok' : 'verdict bad' }, r.code),
    h('p', {}, r.message),
    h(
      'dl',
      {},
      h('dt', {}, 'Similarity'), h('dd', { 'data-testid': 'score' }, r.result?.similarity === null || !r.result ? '—' : `${r.result.similarity.toFixed(2)} (threshold ${r.result.threshold})`),
      h('dt', {}, 'Faces'), h('dd', {}, r.result ? `selfie ${r.result.facesDetected.selfie}, ID image ${r.result.facesDetected.idImage}` : '—'),
      h('dt', {}, 'Request id'), h('dd', {}, h('code', {}, r.requestId)),
      h('dt', {}, 'Round trip'), h('dd', {}, `${(performance.now() - started).toFixed(0)} ms`),
    ),
    crops(headers.get('facematch-crop-selfie'), headers.get('facematch-crop-reference'), 'ID image face crop'),
    h('details', {}, h('summary', {}, 'Signed receipt'), h('textarea', { readonly: true, rows: 4, 'aria-label': 'Receipt (JWS)' }, headers.get('facematch-receipt') ?? '')),
  );
}

/** Runs one request from a form: busy button, announcements, the result or the error in `out`. */
function onSubmit(form: HTMLFormElement, button: HTMLButtonElement, out: HTMLElement, busy: string, run: () => Promise<{ view: HTMLElement; said: string }>): void {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    button.disabled = true;
    announce(busy);
    try {
      const { view, said } = await run();
      out.append(view);
      announce(said);
    } catch (err) {
      out.append(errorBox(err));
      announce('The request failed.');
    } finally {
      button.disabled = false;
    }
  });
}

export async function renderTry(main: HTMLElement): Promise<void> {
  const out = h('div', { class: 'output' });
  const health = await call<{ id_types: string[] }>('/health', { auth: false });

  // Registry verification.
  const idType = h('select', { required: true }, ...health.body.id_types.map((t) => h('option', { value: t }, t)));
  const idNumber = h('input', { type: 'text', required: true, autocomplete: 'off', inputmode: 'text', spellcheck: 'false' });
  const threshold = h('input', { type: 'number', min: 0, max: 1, step: 0.01, placeholder: '0.75' });
  const selfie = imagePicker('Selfie', true);
  const run = h('button', { type: 'submit' }, 'Verify');
  const regForm = h(
    'form',
    { 'aria-labelledby': 'reg-title' },
    h('h2', { id: 'reg-title' }, 'Verify against a registry'),
    h('p', { class: 'hint' }, 'POST /v1/face-comparison. With the demo registries, try PE_DNI 27182818 with a photo of Penny.'),
    field('ID type', idType),
    field('ID number', idNumber),
    selfie.el,
    field('Threshold (optional)', threshold, '0.60 permissive, 0.75 balanced, 0.85 strict.'),
    run,
  );
  onSubmit(regForm, run, out, 'Verifying…', async () => {
    const image = selfie.value();
    if (!image) throw new Error('choose or take a selfie first');
    const body: Record<string, unknown> = { id_type: idType.value, id_number: idNumber.value.trim(), selfie: image };
    if (threshold.value !== '') body.threshold = Number(threshold.value);
    const r = await call<Comparison>('/v1/face-comparison', { method: 'POST', body, headers: { 'facematch-crops': 'links' } });
    return { view: comparisonResult(r.body), said: `Result: ${r.body.data.match_result}, score ${r.body.data.confidence.score.toFixed(2)}` };
  });

  // Two images.
  const fmSelfie = imagePicker('Selfie', true);
  const fmId = imagePicker('ID image', false);
  const fmThreshold = h('input', { type: 'number', min: 1, max: 100, step: 1, placeholder: '90' });
  const fmRun = h('button', { type: 'submit' }, 'Compare');
  const fmForm = h(
    'form',
    { 'aria-labelledby': 'fm-title' },
    h('h2', { id: 'fm-title' }, 'Compare a selfie with an ID image'),
    h('p', { class: 'hint' }, 'POST /v1/face-match: similarity 0–100.'),
    fmSelfie.el,
    fmId.el,
    field('Threshold (optional)', fmThreshold, '1–100, default 90.'),
    fmRun,
  );
  onSubmit(fmForm, fmRun, out, 'Comparing…', async () => {
    const [image, idImage] = [fmSelfie.value(), fmId.value()];
    if (!image || !idImage) throw new Error('choose both images first');
    const started = performance.now();
    const body: Record<string, unknown> = { selfie: image, idImage };
    if (fmThreshold.value !== '') body.threshold = Number(fmThreshold.value);
    const r = await call<FaceMatch>('/v1/face-match', { method: 'POST', body, headers: { 'facematch-crops': 'links' } });
    return { view: faceMatchResult(r.body, r.headers, started), said: `Result: ${r.body.code}` };
  });

  main.replaceChildren(h('h2', { class: 'visually-hidden' }, 'Try it'), h('div', { class: 'forms' }, regForm, fmForm), out);
}
