/**
 * The organisation's threshold floor on a route: the policy decides (src/policy/thresholds.ts); a
 * request below the floor leaves as the route's contract error, naming the field and the floor.
 */
import type { Context } from 'hono';
import { ApiError, type ErrorCode } from '../api/errors.ts';
import { checkThreshold } from '../policy/thresholds.ts';
import type { AppEnv } from './env.ts';

export interface FloorOptions {
  field: string;
  requested: number | undefined;
  productDefault: number;
  /** 1 for the 0–1 scale, 100 for the 0–100 routes. */
  scale: 1 | 100;
  /** The error code of the route's format for a threshold out of range. */
  code: ErrorCode;
}

/** The threshold to apply; throws the contract error when the request is below the floor. */
export function thresholdWithinFloor(c: Context<AppEnv>, options: FloorOptions): number {
  const check = checkThreshold(options.requested, options.productDefault, c.get('principal').organisation.threshold_floor, options.scale);
  if (check.ok) return check.threshold;
  const floor = options.scale === 1 ? check.floor.toFixed(2) : String(check.floor);
  const message = `${options.field} must be at least ${floor}, the minimum for your organisation`;
  throw new ApiError(options.code, `The ${options.field} is below your organisation's minimum of ${floor}.`, { [options.field]: message });
}
