/**
 * Every environment variable the service and its commands read, in one zod schema: type, default and
 * description per variable. `src/main.ts` parses the environment once at start-up and passes typed
 * values on; commands that run outside the server read single variables through `envVar`. The README's
 * configuration table is generated from this schema (`facematch env-docs --write`).
 *
 * To add a variable: one entry below (schema, `.default()` unless it is optional, `.describe()`),
 * then regenerate the README table. This module imports nothing from the project (modules read their
 * defaults from here, never the other way round).
 */
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const onOff = z.enum(['on', 'off']);
/** `scheme://host[:port]`, exactly as a browser sends it in the Origin header. */
const isOrigin = (value: string): boolean => URL.canParse(value) && new URL(value).origin === value;
const originList = z
  .string()
  .transform((value) => value.split(',').map((o) => o.trim()).filter(Boolean))
  .refine((origins) => origins.every(isOrigin), 'a comma-separated list of origins such as https://app.example.com (no path, no trailing slash)');
/** A limit budget, `<count>/<seconds>` (e.g. 10/3600: ten per hour). */
const budget = z.string().regex(/^[1-9]\d*\/[1-9]\d*$/, 'expected <count>/<seconds>, e.g. 10/3600');

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe('TCP port the HTTP service listens on.'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Lowest level written to the JSON-lines log on stdout.'),

  FACEMATCH_REGISTRY_MOCKS: onOff
    .default('on')
    .describe('`on`: the demo registries (in-process mocks of the registry hosts) answer every registry call. `off`: real registries, configured by `FACEMATCH_REGISTRY_CONFIG`.'),
  FACEMATCH_REGISTRY_CONFIG: z.string().optional().describe('JSON file with the registry adapters\' hosts, credentials, timeouts, retries and circuit breaker. Unset: the mock hosts.'),
  FACEMATCH_ENGINE_CONFIG: z.string().optional().describe('JSON file selecting the face engine\'s models and precision. Unset: the built-in default configuration.'),
  FACEMATCH_CALIBRATION: z.string().default('models/calibration.json').describe('Score calibration file (relative paths are from the repository root). A missing file means the raw cosine clamped to [0, 1].'),
  FACEMATCH_MODELS_DIR: z.string().default('models/onnx').describe('Folder of the ONNX models built by `npm install` (relative paths are from the repository root).'),

  FACEMATCH_CONFIG: z
    .string()
    .optional()
    .describe('Accounts file (organisations and hashed API keys). Unset: `config/facematch.json` if it exists.'),
  FACEMATCH_DEMO: onOff
    .default('off')
    .describe('`on` allows the public demo organisation and key when no accounts file is configured or present (`npm start` turns it on with `--demo`). A configured accounts file always wins.'),
  FACEMATCH_DEMO_API_KEY: z
    .string()
    .min(16)
    .default('fm_demo_local_only_5b0d0c6f3a9e41d2')
    .describe('The public demo key of the built-in demo organisation (used only in demo mode, see `FACEMATCH_DEMO`).'),
  FACEMATCH_LEDGER: z.string().default('var/usage.jsonl').describe('Usage ledger file (relative paths are from the repository root).'),

  FACEMATCH_CACHE_TTL_SECONDS: positiveInt.default(600).describe('How long a registry reference (embedding and record) stays in the in-memory cache.'),
  FACEMATCH_CACHE_MAX_ENTRIES: positiveInt.default(10_000).describe('Most references held in the in-memory cache.'),
  FACEMATCH_MAX_BODY_BYTES: positiveInt.default(15 * 1024 * 1024).describe('Largest request body accepted, in bytes; larger bodies get 413.'),

  FACEMATCH_MEDIA_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Secret (at least 16 characters) that signs the report\'s image links. Unset: a random key per process. The images stay in memory either way.'),
  FACEMATCH_PUBLIC_BASE_URL: z.url().optional().describe('Base of the report\'s image links as callers reach the service, e.g. `https://kyc.example.com` (set it behind a proxy).'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL for the usage ledger and idempotency records, shared by replicas (`postgres://user:password@host:5432/db`). Migrations are applied at start. Unset: the ledger file.'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional()
    .describe('Redis for the reference cache, the report\'s image links and the limit counters, shared by replicas. Requires `FACEMATCH_CACHE_SECRET` and `FACEMATCH_MEDIA_SECRET`; run it without persistence (see "Running a fleet"). Unset: in memory.'),
  FACEMATCH_CACHE_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Secret (at least 16 characters) of the HMAC that turns id_type + id_number into reference-cache keys; the same on every replica. Required with `REDIS_URL`. Unset without Redis: a random key per process.'),
  FACEMATCH_LEDGER_MAX_BYTES: positiveInt
    .default(256 * 1024 * 1024)
    .describe('The ledger file is rotated (renamed to `<name>.<YYYY-MM>.<n>.jsonl`, totals carried over) before it passes this size, and at the start of each month.'),
  FACEMATCH_RECEIPT_KEYS: z
    .string()
    .optional()
    .describe('Receipt signing keys: a JWK Set file of Ed25519 keys with `kid`s (`facematch receipt keygen` adds one; the last key with a private part signs, all are published). Unset: a key generated in memory per process (a fleet must set it).'),
  FACEMATCH_REVIEW_TTL_MINUTES: positiveInt.default(60).describe('How long review cases and their two face crops are held in memory.'),
  FACEMATCH_REVIEW_MARGIN: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe('Review band around the threshold (0–1 scale; ×100 on the 0–100 products): verdicts this close to it are held for manual review. 0 holds only reports In Review.'),
  FACEMATCH_REVIEW_DECISIONS: z.string().optional().describe('Append-only file of review decisions. Unset: `review-decisions.jsonl` beside the usage ledger.'),
  FACEMATCH_CORS_ORIGINS: originList
    .optional()
    .describe('Comma-separated browser origins allowed to call the API (CORS), e.g. `https://app.example.com`. Unset: CORS off (no browser on another origin can read answers).'),
  FACEMATCH_HEADERS_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('Time a client has to send the request headers before the connection is closed (slow-loris defence).'),
  FACEMATCH_REQUEST_TIMEOUT_MS: positiveInt
    .default(60_000)
    .describe('Time a client has to send the whole request (headers and body); at least `FACEMATCH_HEADERS_TIMEOUT_MS`.'),

  FACEMATCH_ADMISSION_MAX_ACTIVE: positiveInt.optional().describe('Verification requests processed at once by this process. Unset: 1 per engine worker.'),
  FACEMATCH_ADMISSION_MAX_QUEUED: z.coerce.number().int().min(0).optional().describe('Verification requests waiting for a slot before new ones get 503. Unset: 1 per engine worker.'),
  FACEMATCH_REQUEST_DEADLINE_MS: positiveInt.default(10_000).describe('Deadline of a verification request from arrival (queueing included); past it the answer is 503 and the slot is freed.'),
  FACEMATCH_RETRY_AFTER_SECONDS: positiveInt.default(1).describe('Retry-After of a 503 from admission control.'),
  FACEMATCH_LIMIT_KEY_PER_MINUTE: positiveInt.default(600).describe('Requests per API key per minute, unless its organisation sets `limits.requests_per_minute`.'),
  FACEMATCH_LIMIT_KEY_PER_DAY: positiveInt.default(100_000).describe('Requests per API key per day, unless its organisation sets `limits.requests_per_day`.'),
  FACEMATCH_LIMIT_ID_ATTEMPTS: budget.default('10/3600').describe('Verification attempts per ID number across all keys, as `<count>/<seconds>`.'),
  FACEMATCH_LOCKOUT_KEY_ID: budget.default('5/3600').describe('Failed matches (MISMATCH) per API key and ID number that lock that key out of the number for the rest of the window, `<count>/<seconds>`.'),
  FACEMATCH_LOCKOUT_ID: budget.default('10/86400').describe('Failed matches per ID number, from any key, that lock the number for the rest of the window, `<count>/<seconds>`.'),
  FACEMATCH_LIMITS_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Secret (at least 16 characters) of the HMAC that keys ID-number counters; replicas sharing Redis must share it. Unset: a random key per process.'),
  FACEMATCH_METRICS_TOKEN: z.string().min(16).optional().describe('Bearer token (at least 16 characters) for `GET /metrics`. Unset: `/metrics` answers 404.'),
  FACEMATCH_SHUTDOWN_DEADLINE_MS: positiveInt.default(15_000).describe('On SIGTERM, how long admitted requests may take to finish before the process closes anyway.'),

  FACEMATCH_DATA_DIR: z.string().default('../shared/data').describe('Development photos read by the bench, tests and demo registries (relative paths are from the repository root).'),
  FACEMATCH_DEMO_FACES_DIR: z.string().optional().describe('Faces of the demo identities. Unset: `faces/` in `FACEMATCH_DATA_DIR`.'),
});

export type Env = z.output<typeof envSchema>;
export type EnvName = keyof Env;
type EnvSource = Readonly<Record<string, string | undefined>>;

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

/** An empty variable (`FOO=`) means unset, as it did before this module existed. */
const present = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

function describeIssues(error: z.ZodError, name?: string): string {
  return error.issues.map((i) => `${name ?? i.path.join('.')}: ${i.message}`).join('; ');
}

/** Parse the whole environment once (start-up); every bad variable is reported in one error. */
export function parseEnv(source: EnvSource = process.env): Env {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(envSchema.shape)) input[name] = present(source[name]);
  const result = envSchema.safeParse(input);
  if (!result.success) throw new EnvError(`invalid environment: ${describeIssues(result.error)}`);
  return result.data;
}

/** One variable, for commands and helpers that run outside the server's start-up. */
export function envVar<K extends EnvName>(name: K, source: EnvSource = process.env): Env[K] {
  const result = envSchema.shape[name].safeParse(present(source[name]));
  if (!result.success) throw new EnvError(`invalid environment: ${describeIssues(result.error, name)}`);
  return result.data as Env[K];
}
