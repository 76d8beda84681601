/**
 * The charge rule of every metered product, in one place. A request is charged only for a completed
 * business result; errors (bad input, registry or server failures) are never charged.
 *   /v1/face-comparison   CONFIRMED only
 *   /v1/face-match        every processed result (FACE_MATCH, FACE_MISMATCH, NO_FACE_DETECTED, NO_DOCUMENT_DETECTED, DOCUMENT_TYPE_MISMATCH)
 *   /v1/face-match-report every completed report (Approved, In Review, Rejected)
 * The usage report classifies the same results (confirmed / mismatch / other completed / error).
 */

export const METERED_ENDPOINTS = {
  faceComparison: '/v1/face-comparison',
  faceMatch: '/v1/face-match',
  faceMatchReport: '/v1/face-match-report',
} as const;
export type MeteredEndpoint = (typeof METERED_ENDPOINTS)[keyof typeof METERED_ENDPOINTS];
export const METERED_ENDPOINT_PATHS = Object.values(METERED_ENDPOINTS) as [MeteredEndpoint, ...MeteredEndpoint[]];

/** How a recorded result counts in the usage report. */
export type UsageClass = 'confirmed' | 'mismatch' | 'other' | 'error';

interface ProductRule {
  /** Completed business results and how each counts; any other result is an error. */
  results: Record<string, Exclude<UsageClass, 'error'>>;
  charged(result: string): boolean;
}

/** Every completed result is charged; errors never are. */
const everyResult = (endpoint: MeteredEndpoint) => (result: string) => Object.hasOwn(RULES[endpoint].results, result);

const RULES: Record<MeteredEndpoint, ProductRule> = {
  '/v1/face-comparison': {
    results: { CONFIRMED: 'confirmed', MISMATCH: 'mismatch' },
    charged: (result) => result === 'CONFIRMED',
  },
  '/v1/face-match': {
    results: { FACE_MATCH: 'confirmed', FACE_MISMATCH: 'mismatch', NO_FACE_DETECTED: 'other', NO_DOCUMENT_DETECTED: 'other', DOCUMENT_TYPE_MISMATCH: 'other' },
    charged: everyResult('/v1/face-match'),
  },
  '/v1/face-match-report': {
    results: { Approved: 'confirmed', Rejected: 'mismatch', 'In Review': 'other' },
    charged: everyResult('/v1/face-match-report'),
  },
};

const ruleFor = (endpoint: string): ProductRule | undefined => (Object.hasOwn(RULES, endpoint) ? RULES[endpoint as MeteredEndpoint] : undefined);

/** Whether `result` on `endpoint` is charged. Unknown endpoints are never charged. */
export function isCharged(endpoint: string, result: string): boolean {
  return ruleFor(endpoint)?.charged(result) ?? false;
}

export function usageClass(endpoint: string, result: string): UsageClass {
  const results = ruleFor(endpoint)?.results;
  return results && Object.hasOwn(results, result) ? results[result]! : 'error';
}

/** The completed results of `endpoint` that count as `kind` (for usage queries run in a database). */
export function resultsOfClass(endpoint: string, kind: Exclude<UsageClass, 'error'>): string[] {
  const results = ruleFor(endpoint)?.results ?? {};
  return Object.keys(results).filter((r) => results[r] === kind);
}

/** Every completed (non-error) result of `endpoint`. */
export function completedResults(endpoint: string): string[] {
  return Object.keys(ruleFor(endpoint)?.results ?? {});
}
