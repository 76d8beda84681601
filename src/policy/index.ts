export * from './calibration.ts';
export * from './policy.ts';
export * from './thresholds.ts';
