/** The typed services container the app is built from. Tests build exactly the pieces they need. */
import type { AccountStore } from '../accounts/store.ts';
import type { UsageLedger } from '../billing/ledger.ts';
import type { DocumentChecker } from '../document/check.ts';
import type { FaceEngine } from '../engine/types.ts';
import type { MediaStore } from '../media/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { IdempotencyStore } from '../state/idempotency/store.ts';
import type { Policy } from '../policy/policy.ts';
import type { ReferenceStore, RegistryLookup } from '../service/face-comparison.ts';
import type { AdmissionControl } from '../limits/admission.ts';
import type { RequestLimits } from '../limits/request-limits.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ReadinessCheck } from './routes/ready.ts';
import type { ReceiptSigner } from '../receipts/signer.ts';
import type { ReviewServices } from '../review/index.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ServerLimits {
  /** Largest request body accepted, bytes (413 above). Default 15 MiB: a 10 MB image is ~13.4 MiB in base64. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = { maxBodyBytes: 15 * 1024 * 1024 };

export interface Services {
  /** id_type → adapter router (src/registry/router.ts). */
  registry: RegistryLookup;
  engine: FaceEngine;
  policy: Policy;
  /** Reference cache: identity + embedding + engine version, never photo bytes. */
  cache: ReferenceStore;
  accounts: AccountStore;
  ledger: UsageLedger;
  logger: Logger;
  /** Time for ledger entries, response timestamps and the expiry of image links. */
  clock: Clock;
  limits?: Partial<ServerLimits>;
  /** Temporary image links of the face-match report (in memory). Default: a store with a per-process key on `clock`. */
  media?: MediaStore;
  /** The ID-image layout check of /v1/face-match. Default: createDocumentChecker(). */
  documents?: DocumentChecker;
  /** Idempotency-Key records (file or PostgreSQL beside the ledger). Default: in memory, per app. */
  idempotency?: IdempotencyStore;
  /** Public base URL for absolute links (e.g. https://kyc.example.com). Default: relative links (never the Host header). */
  publicBaseUrl?: string;
  /** Browser origins allowed to call the API (CORS). Default: none (CORS off). */
  corsOrigins?: string[];
  /** Bounded queue in front of the verification routes (src/limits/admission.ts). Default: none. */
  admission?: AdmissionControl;
  /** Per-key rate limits, per-ID attempts and failed-match lockout (src/limits/request-limits.ts). Default: none. */
  requestLimits?: RequestLimits;
  /** Prometheus metrics; when set, the engine, registry, cache and ledger are instrumented. */
  metrics?: Metrics;
  /** Bearer token for GET /metrics; without it the endpoint answers 404. */
  metricsToken?: string;
  /** Backends GET /ready must reach (database, Redis). */
  readiness?: ReadinessCheck[];
  /** Signs verification receipts. Default: a key generated in memory (a fleet must configure one). */
  receipts?: ReceiptSigner;
  /** Manual-review queue, decision log and band margin. Default: all in memory on `clock`. */
  review?: ReviewServices;
}

/** Services with the optional collaborators resolved (what the routes see). */
export type ResolvedServices = Services & Required<Pick<Services, 'media' | 'documents' | 'receipts' | 'review' | 'idempotency'>>;
