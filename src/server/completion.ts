/**
 * What every completed verification gets after its result is recorded, whatever the product:
 *   - a signed receipt (src/receipts), returned to the route and sent as the Facematch-Receipt header;
 *   - a place in the manual-review queue when the policy's review band says so (src/policy/review-band.ts),
 *     with its two face crops, in memory only;
 *   - on request (`Facematch-Crops: links`), temporary links to the two crops (in headers, and in
 *     `meta.crops` where the envelope has a meta).
 * The routes call `completeVerification` once; they need know nothing else about receipts or reviews.
 */
import type { Context } from 'hono';
import type { ImageInput } from '../engine/types.ts';
import { reviewReason, type ReviewCandidate } from '../policy/review-band.ts';
import { imageSha256 } from '../receipts/hash.ts';
import { CROP_LINK_HEADERS, CROPS_HEADER, RECEIPT_HEADER } from '../receipts/openapi.ts';
import type { NewReviewCase } from '../review/queue.ts';
import type { AppEnv } from './env.ts';
import { linkBase } from './routes/v1_face_match_report.ts';
import { MEDIA_PATH_PREFIX } from './routes/v1_media.ts';

export interface CompletedVerification {
  endpoint: string;
  /** The selfie as sent (base64 or data URL): hashed, never kept. */
  selfie: ImageInput;
  /** The reference: the ID image as sent, or the SHA-256 of the registry photo (kept with the cached reference). */
  reference: { image: ImageInput } | { sha256: string | null };
  idType: string | null;
  idNumberMasked: string | null;
  threshold: number;
  score: number | null;
  verdict: string;
  source: string;
  review: ReviewCandidate;
  warnings: string[];
  crops: { selfie?: Uint8Array; reference?: Uint8Array };
}

export interface Completion {
  receipt: string;
  crops?: { selfie: string | null; reference: string | null };
}

export async function completeVerification(c: Context<AppEnv>, v: CompletedVerification): Promise<Completion> {
  const services = c.get('services');
  const requestId = c.get('requestId');
  const org = c.get('principal').organisation;
  const time = services.clock.now().toISOString();
  const receipt = await services.receipts.sign({
    request_id: requestId,
    time,
    org: org.id,
    endpoint: v.endpoint,
    id_type: v.idType,
    id_number_masked: v.idNumberMasked,
    selfie_sha256: imageSha256(v.selfie),
    reference_sha256: 'image' in v.reference ? imageSha256(v.reference.image) : v.reference.sha256,
    engine: services.engine.version,
    calibration: services.policy.calibration.version,
    threshold: v.threshold,
    score: v.score,
    verdict: v.verdict,
    source: v.source,
  });
  c.header(RECEIPT_HEADER, receipt);

  const reason = reviewReason(v.review, services.review.margin);
  if (reason) {
    // The result is already charged and signed: a queue outage must not withhold it, only be loud.
    const held: NewReviewCase = {
      id: requestId,
      org_id: org.id,
      endpoint: v.endpoint,
      reason,
      created_at: time,
      verdict: v.verdict,
      score: v.score,
      threshold: v.threshold,
      id_type: v.idType,
      id_number_masked: v.idNumberMasked,
      warnings: v.warnings,
      receipt,
    };
    try {
      await services.review.queue.add(held, { selfie: v.crops.selfie ?? null, reference: v.crops.reference ?? null });
      c.get('log').info('held for review', { reason, endpoint: v.endpoint });
    } catch (err) {
      c.get('log').error('review case could not be held', { reason, endpoint: v.endpoint, error: (err as Error).message });
    }
  }

  if (c.req.header(CROPS_HEADER)?.trim().toLowerCase() !== 'links') return { receipt };
  const base = linkBase(c);
  const link = async (bytes: Uint8Array | undefined) => (bytes ? `${base}${MEDIA_PATH_PREFIX}${(await services.media.put(bytes, 'image/jpeg')).token}` : null);
  const [selfie, reference] = await Promise.all([link(v.crops.selfie), link(v.crops.reference)]);
  const crops = { selfie, reference };
  // Headers too, so the products with a strict body envelope can offer the links without changing it.
  if (crops.selfie) c.header(CROP_LINK_HEADERS.selfie, crops.selfie);
  if (crops.reference) c.header(CROP_LINK_HEADERS.reference, crops.reference);
  return { receipt, crops };
}
