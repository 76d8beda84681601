/** The console shell: sign-in with an API key, then three views chosen by the URL hash. */
import { ApiFailure, call, session } from './api.ts';
import { announce, field, h } from './dom.ts';
import { renderReview } from './review.ts';
import { renderTry } from './try.ts';
import { renderUsage } from './usage.ts';

const views: Record<string, (main: HTMLElement) => Promise<void>> = { try: renderTry, review: renderReview, usage: renderUsage };

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;

function signInForm(problem?: string): HTMLElement {
  const key = h('input', { type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Use an API key of your organisation. It is kept for this tab only and forgotten when the tab closes.'),
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    field('API key', key),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    session.signIn(key.value.trim());
    try {
      await call('/v1/usage');
    } catch (err) {
      session.signOut();
      main.replaceChildren(signInForm(err instanceof ApiFailure && err.status === 401 ? 'That key is not valid.' : `Sign-in failed: ${(err as Error).message}`));
      return;
    }
    announce('Signed in.');
    if (!location.hash) location.hash = '#try';
    else void route();
  });
  queueMicrotask(() => key.focus());
  return form;
}

async function route(): Promise<void> {
  if (!session.key()) {
    nav.hidden = true;
    main.replaceChildren(signInForm());
    return;
  }
  nav.hidden = false;
  const name = location.hash.slice(1) || 'try';
  const view = views[name] ?? renderTry;
  for (const a of nav.querySelectorAll<HTMLAnchorElement>('a[data-view]')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren(h('p', {}, 'Loading…'));
  try {
    await view(main);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) {
      session.signOut();
      main.replaceChildren(signInForm('Your key is no longer accepted. Sign in again.'));
      return;
    }
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load this view: ${(err as Error).message}`));
  }
  main.focus();
}

document.getElementById('sign-out')!.addEventListener('click', () => {
  session.signOut();
  announce('Signed out.');
  void route();
});
window.addEventListener('hashchange', () => void route());
void route();
