/**
 * The response types the console reads, inferred from the service's own zod schemas (type-only
 * imports: nothing of the server reaches the bundle), so the page and the API cannot drift apart.
 */
export type { FaceComparisonResponse } from '../../src/api/face-comparison.ts';
export type { FaceMatchEnvelope } from '../../src/api/face-match.ts';
export type { UsageResponse } from '../../src/api/usage.ts';
export type { ReviewCaseBody as ReviewCase, ReviewCaseResponse, ReviewListResponse } from '../../src/api/reviews.ts';

import type { FaceComparisonResponse } from '../../src/api/face-comparison.ts';
export type Warning = NonNullable<FaceComparisonResponse['data']['details']['warnings']>[number];
