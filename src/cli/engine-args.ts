/** Command-line options shared by commands that build a face engine. */
import { EngineConfig, readEngineConfig } from '../engine/config.ts';

export const engineArgOptions = {
  config: { type: 'string' as const },
  threads: { type: 'string' as const },
};

export interface EngineCliOptions extends EngineConfig {
  calibrationFile?: string;
}

export function engineOptionsFromArgs(values: { config?: string; threads?: string }): EngineCliOptions {
  const config = values.config ? readEngineConfig(values.config) : EngineConfig.parse({});
  if (values.threads) config.threads = Number(values.threads);
  return { ...config, calibrationFile: config.calibration };
}
