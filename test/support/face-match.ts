/** Helpers for the face-match and face-match-report route tests: posting, a movable clock, fake images. */
import type { Clock } from '../../src/server/services.ts';
import { KEYS, type TestHarness } from './app.ts';
import { fakeImage } from './fake-engine.ts';

/** An ID image whose face is the reference axis of the fake engine (similarity = the selfie's cosine). */
export const ID_IMAGE = fakeImage('REFERENCE');
export const NO_FACE = fakeImage('NOFACE');

export interface PostOptions {
  key?: string | null;
  headers?: Record<string, string>;
}

export function post(h: Pick<TestHarness, 'app'>, path: string, body: unknown, opts: PostOptions = {}): Promise<Response> {
  const key = opts.key === undefined ? KEYS.approved : opts.key;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...opts.headers };
  return Promise.resolve(h.app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }));
}

export interface MovableClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export function movableClock(start = new Date('2026-11-23T12:00:00.000Z')): MovableClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (date) => {
      now = date.getTime();
    },
  };
}
