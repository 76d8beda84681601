/**
 * The one metering helper of the metered routes: every outcome is written to the usage ledger, and a
 * result is released only once its line is durable, with the charge the policy decides
 * (src/policy/charges.ts). Failures are recorded uncharged; a failed write of a failure's line is
 * logged (the caller still gets the original error).
 */
import type { Context } from 'hono';
import { ApiError } from '../api/errors.ts';
import { isCharged, type MeteredEndpoint } from '../policy/charges.ts';
import type { AppEnv } from './env.ts';
import { toApiError } from './middleware/errors.ts';

export interface MeterOptions {
  endpoint: MeteredEndpoint;
  /** The ledger's `result` for a failure: the route's error code. Default: the standard envelope's code. */
  failureCode?: (err: unknown) => string;
}

export interface Meter {
  /** Run the use case; a failure is recorded (never charged) under its error code, then rethrown. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Record a completed result before it is released; throws a retryable 503 SERVICE_ERROR when it cannot be (never an unbilled result). */
  result(result: string): Promise<{ charged: boolean }>;
}

export function meterFor(c: Context<AppEnv>, options: MeterOptions): Meter {
  const services = c.get('services');
  const log = c.get('log');
  const write = (result: string, charged: boolean) =>
    services.ledger.record({
      ts: services.clock.now().toISOString(),
      request_id: c.get('requestId'),
      org_id: c.get('principal').organisation.id,
      endpoint: options.endpoint,
      result,
      charged,
    });
  const failureCode = options.failureCode ?? ((err: unknown) => toApiError(err).code);
  return {
    async run(work) {
      try {
        return await work();
      } catch (err) {
        await write(failureCode(err), false).catch((e: unknown) => log.error('usage ledger write failed', { error: e as Error }));
        throw err;
      }
    },
    async result(result) {
      const charged = isCharged(options.endpoint, result);
      c.set('audit', { ...c.get('audit'), result });
      try {
        await write(result, charged);
      } catch (err) {
        throw new ApiError('SERVICE_ERROR', 'The result could not be recorded. Retry the request.', undefined, { status: 503, retryable: true, retryAfterSeconds: 1, cause: err });
      }
      return { charged };
    },
  };
}
