export { AdmissionControl } from './admission.ts';
export { limitsSettings } from './config.ts';
export { memoryLimiterBackend, redisLimiterBackend } from './limiters.ts';
export { createRequestLimits } from './request-limits.ts';
export { createShutdown } from './shutdown.ts';
