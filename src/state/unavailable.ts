/**
 * A shared-state backend (PostgreSQL, Redis) that cannot be reached. The HTTP layer maps it to a
 * retryable 503 with Retry-After: the request had no effect that the caller must account for
 * (nothing charged, no result released), so retrying is always safe.
 */
export class StateUnavailableError extends Error {
  constructor(
    readonly backend: 'postgres' | 'redis' | 'file',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'StateUnavailableError';
  }
}

/** Seconds a caller should wait before retrying after a backend outage. */
export const STATE_RETRY_AFTER_SECONDS = 2;

export function isStateUnavailable(err: unknown): err is StateUnavailableError {
  return err instanceof StateUnavailableError;
}
