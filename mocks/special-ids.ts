/**
 * Synthetic ID numbers that make a mock misbehave in one specific way. Each adapter's plug-in turns
 * a 3-digit code into a number that passes its validator (`mock.specialId`), so the request really
 * reaches the mock.
 */
import { ADAPTERS } from '../adapters/index.ts';

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

/** The special numbers per adapter id, in each adapter's normalised form. */
export const SPECIAL_IDS: Record<string, Record<SpecialCase, string>> = Object.fromEntries(
  ADAPTERS.map((plugin) => [
    plugin.id,
    Object.fromEntries((Object.keys(CODES) as SpecialCase[]).map((c) => [c, plugin.mock.specialId(CODES[c])])),
  ]),
) as Record<string, Record<SpecialCase, string>>;

export function specialCaseFor(adapter: string, idNumber: string): SpecialCase | undefined {
  const table = SPECIAL_IDS[adapter];
  if (!table) return undefined;
  for (const c of Object.keys(table) as SpecialCase[]) if (table[c] === idNumber) return c;
  return undefined;
}
