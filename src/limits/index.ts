export { AdmissionControl, AdmissionRefused, type AdmissionOptions } from './admission.ts';
export { ChargeGuard, DeadlineExpiredError } from './charge-guard.ts';
export { parseLimitsSettings, LimitsEnvSchema, type LimitsSettings } from './config.ts';
export { memoryLimiterBackend, redisLimiterBackend, type LimiterBackend } from './limiters.ts';
export { createRequestLimits, LimitStoreError, type RequestLimits } from './request-limits.ts';
export { createShutdown, type Closable } from './shutdown.ts';
