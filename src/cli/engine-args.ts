/** Command-line options shared by commands that build a face engine. */
import { EngineConfig, readEngineConfig } from '../engine/config.ts';

export const engineArgOptions = {
  config: { type: 'string' as const },
  threads: { type: 'string' as const },
  workers: { type: 'string' as const },
};

export interface EngineCliOptions extends EngineConfig {
  calibrationFile?: string;
}

export function engineOptionsFromArgs(values: { config?: string; threads?: string; workers?: string }): EngineCliOptions {
  const config = values.config ? readEngineConfig(values.config) : EngineConfig.parse({});
  if (values.threads) config.threads = Number(values.threads);
  if (values.workers) config.workers = Number(values.workers);
  return { ...config, calibrationFile: config.calibration };
}
