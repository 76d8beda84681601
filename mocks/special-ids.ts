/**
 * Synthetic ID numbers that make a mock misbehave in one specific way. They pass each adapter's
 * validator (ZA numbers carry a valid Luhn digit), so the request really reaches the mock.
 */
import { luhnCheckDigit } from '../src/registry/validators.ts';
import type { MockAdapterId } from './types.ts';

export type SpecialCase =
  | 'not_found'
  | 'photo_missing'
  | 'restricted'
  | 'server_error'
  | 'hang'
  | 'malformed'
  | 'photo_not_image'
  | 'remote_invalid'
  | 'rate_limited'
  /** Fails with a 5xx on every odd request for this number, succeeds on the even ones. */
  | 'flaky'
  /** DHA only: the signed photo link is already expired when handed out. */
  | 'expired_link';

const CODES: Record<SpecialCase, string> = {
  not_found: '999',
  photo_missing: '404',
  restricted: '451',
  server_error: '500',
  hang: '408',
  malformed: '666',
  photo_not_image: '415',
  remote_invalid: '400',
  rate_limited: '429',
  flaky: '503',
  expired_link: '410',
};

function zaId(code: string): string {
  const body = `8001015${code}08`;
  return body + String(luhnCheckDigit(body));
}

const FORMATS: Record<MockAdapterId, (code: string) => string> = {
  'pe-reniec': (c) => `10000${c}`,
  'ke-iprs': (c) => `20000${c}`,
  'ng-nin': (c) => `70000000${c}`,
  'ng-bvn': (c) => `22000000${c}`,
  'gh-nia': (c) => `GHA-000000${c}-0`,
  'za-dha': zaId,
};

/** The special numbers per adapter, in each adapter's normalised form. */
export const SPECIAL_IDS: Record<MockAdapterId, Record<SpecialCase, string>> = Object.fromEntries(
  (Object.keys(FORMATS) as MockAdapterId[]).map((adapter) => [
    adapter,
    Object.fromEntries((Object.keys(CODES) as SpecialCase[]).map((c) => [c, FORMATS[adapter](CODES[c])])),
  ]),
) as Record<MockAdapterId, Record<SpecialCase, string>>;

export function specialCaseFor(adapter: MockAdapterId, idNumber: string): SpecialCase | undefined {
  const table = SPECIAL_IDS[adapter];
  for (const c of Object.keys(table) as SpecialCase[]) if (table[c] === idNumber) return c;
  return undefined;
}
