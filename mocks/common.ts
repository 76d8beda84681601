/** Pieces every registry mock shares: latency, per-key rate limits, hangs, record lookup, photo encoding. */
import { syntheticJpeg } from './fixtures.ts';
import { specialCaseFor, type SpecialCase } from './special-ids.ts';
import type { LatencyOption, MockAdapterId, MockPerson, PhotoEncoding, RateLimitOption, RegistryMocksOptions } from './types.ts';

export type Transport = 'rest' | 'soap';

export interface MockContext {
  options: RegistryMocksOptions;
  random: () => number;
  now: () => number;
  people: Map<string, MockPerson>;
  counters: Map<string, number>;
  bump(key: string): number;
  latency(transport: Transport): Promise<void>;
  hang(signal: AbortSignal): Promise<void>;
  rateLimiter: RateLimiter;
  findPerson(idType: string, idNumber: string): MockPerson | undefined;
  special(adapter: MockAdapterId, idNumber: string): SpecialCase | undefined;
  /** A record for special cases that need one (photo missing, restricted, …). */
  placeholder(idType: string, idNumber: string): MockPerson;
  /** Match-at-source mocks: the registry-side similarity of a selfie and a record's photo. */
  faceSimilarity(selfie: Uint8Array, reference: Uint8Array): Promise<number>;
}

/** Without a face matcher, a mock registry recognises only the very same photo. */
async function sameBytesSimilarity(selfie: Uint8Array, reference: Uint8Array): Promise<number> {
  return Buffer.from(selfie).equals(Buffer.from(reference)) ? 0.99 : 0.1;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function latencyRange(option: LatencyOption | undefined, transport: Transport): { min: number; max: number } {
  if (!option || option === 'none') return { min: 0, max: 0 };
  if (option === 'demo') return transport === 'soap' ? { min: 200, max: 900 } : { min: 50, max: 300 };
  return option;
}

/** Fixed-window counters per key. */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: RateLimitOption,
    private readonly now: () => number,
  ) {}

  /** Count one request; returns undefined when allowed, else the seconds until the window resets. */
  hit(key: string, limit: RateLimitOption = this.limit): number | undefined {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= limit.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > limit.limit) return Math.max(1, Math.ceil((w.start + limit.windowMs - t) / 1000));
    return undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}

export function createMockContext(options: RegistryMocksOptions): MockContext {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const people = new Map<string, MockPerson>();
  for (const p of options.people ?? []) people.set(`${p.id_type}:${p.id_number}`, p);
  const counters = new Map<string, number>();
  const fallbackPhoto = syntheticJpeg();
  return {
    options,
    random,
    now,
    people,
    counters,
    bump(key) {
      const n = (counters.get(key) ?? 0) + 1;
      counters.set(key, n);
      return n;
    },
    async latency(transport) {
      const { min, max } = latencyRange(options.latency, transport);
      if (max > 0) await sleep(min + random() * (max - min));
    },
    hang(signal) {
      return sleep(options.hangMs ?? 120_000, signal);
    },
    rateLimiter: new RateLimiter(options.rateLimit ?? { limit: 600, windowMs: 60_000 }, now),
    findPerson(idType, idNumber) {
      return people.get(`${idType}:${idNumber}`);
    },
    special(adapter, idNumber) {
      return specialCaseFor(adapter, idNumber);
    },
    faceSimilarity: options.faceSimilarity ?? sameBytesSimilarity,
    placeholder(idType, idNumber) {
      return {
        id_type: idType,
        id_number: idNumber,
        first_name: 'Test',
        last_name: 'Subject',
        date_of_birth: '1990-01-15',
        gender: 'F',
        address: 'Synthetic Street 1',
        photo: fallbackPhoto,
      };
    },
  };
}

/** Serialise photo bytes the way a registry would. */
export function encodePhoto(bytes: Uint8Array, encoding: PhotoEncoding = 'base64'): string | number[] {
  const b64 = Buffer.from(bytes).toString('base64');
  switch (encoding) {
    case 'base64':
      return b64;
    case 'data_url':
      return `data:image/jpeg;base64,${b64}`;
    case 'wrapped':
      return b64.replace(/.{76}/g, '$&\r\n');
    case 'byte_array':
      // Java-style signed bytes.
      return Array.from(bytes, (v) => (v > 127 ? v - 256 : v));
  }
}

/** ISO date → .NET `M/D/YYYY 12:00:00 AM`. */
export function dotNetDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${m}/${d}/${y} 12:00:00 AM`;
}

/** ISO date → `DD-Mon-YYYY` (NIBSS style). */
export function dMonYDate(iso: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const [y, m, d] = iso.split('-');
  return `${d}-${months[Number(m) - 1]}-${y}`;
}

/** A gateway's HTML error page (what a load balancer sends instead of JSON). */
export const GATEWAY_HTML =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream sent an invalid response</p></body></html>';

/** The gateway's HTML page with `status` (200 = a "successful" reply that is not JSON at all). */
export function gatewayPage(status: number): Response {
  return new Response(GATEWAY_HTML, { status, headers: { 'content-type': 'text/html' } });
}

/** Hang past the caller's timeout (ended early when the request is aborted), then answer 504. */
export async function hangThen504(ctx: MockContext, request: Request): Promise<Response> {
  await ctx.hang(request.signal);
  return new Response(null, { status: 504 });
}
