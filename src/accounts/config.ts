/**
 * The accounts file: organisations and hashed API keys, validated by zod. Path from FACEMATCH_CONFIG
 * (default config/facematch.json, relative to the repository root). The built-in demo configuration
 * (one approved organisation, "demo", with a public, documented key) is used only on purpose: no
 * accounts file configured or present, and the demo asked for (`npm start`, or FACEMATCH_DEMO=on).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { envVar } from '../config/env.ts';
import { repoRoot } from '../config/paths.ts';
import { API_KEY_HASH_PATTERN, hashApiKey } from './keys.ts';
import { OrganisationLimitsSchema } from '../policy/limits.ts';

export const SERVICES = ['face_match', 'liveness', 'identity_lookup'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const OrganisationSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _'),
  name: z.string().min(1),
  approved: z.boolean(),
  services: z.array(z.enum(SERVICES)).default([]),
  /**
   * Lowest threshold a request may ask for, on the 0–1 scale (× 100 on the 0–100 routes). Unset: the
   * policy's default, 0.60 (the permissive calibrated point). A lower request is refused, not clamped.
   */
  threshold_floor: z.number().min(0).max(1).optional(),
  /** Per-key request budgets for this organisation's keys; the service defaults apply when absent. */
  limits: OrganisationLimitsSchema.optional(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

export const ApiKeyRecordSchema = z.object({
  id: z.string().min(1),
  org_id: z.string().min(1),
  hash: z.string().regex(API_KEY_HASH_PATTERN, 'expected sha256:<64 hex>'),
  hint: z.string().optional(),
  label: z.string().optional(),
  created_at: z.string().optional(),
  revoked: z.boolean().default(false),
});

export const AccountsConfigSchema = z
  .object({
    organisations: z.array(OrganisationSchema),
    api_keys: z.array(ApiKeyRecordSchema).default([]),
  })
  .superRefine((cfg, ctx) => {
    const orgs = new Set<string>();
    cfg.organisations.forEach((o, i) => {
      if (orgs.has(o.id)) ctx.addIssue({ code: 'custom', message: `duplicate organisation id ${o.id}`, path: ['organisations', i, 'id'] });
      orgs.add(o.id);
    });
    const keyIds = new Set<string>();
    cfg.api_keys.forEach((k, i) => {
      if (!orgs.has(k.org_id)) ctx.addIssue({ code: 'custom', message: `unknown organisation ${k.org_id}`, path: ['api_keys', i, 'org_id'] });
      if (keyIds.has(k.id)) ctx.addIssue({ code: 'custom', message: `duplicate key id ${k.id}`, path: ['api_keys', i, 'id'] });
      keyIds.add(k.id);
    });
  });
export type AccountsConfig = z.infer<typeof AccountsConfigSchema>;

/** The demo key (public, documented in the README; for local trials only): FACEMATCH_DEMO_API_KEY's default. */
export const DEFAULT_DEMO_API_KEY = envVar('FACEMATCH_DEMO_API_KEY', {});

export const DEMO_ORGANISATION: Organisation = { id: 'demo', name: 'Demo organisation', approved: true, services: ['face_match'] };

export function demoConfig(demoKey: string = DEFAULT_DEMO_API_KEY): AccountsConfig {
  return {
    organisations: [{ ...DEMO_ORGANISATION }],
    api_keys: [{ id: 'demo', org_id: 'demo', hash: hashApiKey(demoKey), hint: 'fm_demo', label: 'built-in demo key', revoked: false }],
  };
}

/** Used when FACEMATCH_CONFIG is not set. */
export const DEFAULT_ACCOUNTS_FILE = 'config/facematch.json';

/** The accounts file path: the configured one, else the default, relative to the repository root. */
export function accountsConfigPath(configured: string | undefined): string {
  return path.resolve(repoRoot, configured ?? DEFAULT_ACCOUNTS_FILE);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseAccountsConfig(json: unknown, where = 'accounts config'): AccountsConfig {
  const result = AccountsConfigSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(`${where} is invalid: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** Read and validate the file; `undefined` when it does not exist. */
export function readAccountsConfig(file: string): AccountsConfig | undefined {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`);
  }
  return parseAccountsConfig(json, path.basename(file));
}

export interface AccountsSource {
  /** FACEMATCH_CONFIG, when set: this file must exist. */
  configured: string | undefined;
  /** Whether the public demo organisation may be used when there is no accounts file. */
  demo: boolean;
  demoKey?: string;
  /** The file used when none is configured. Default: config/facematch.json in the repository. */
  defaultFile?: string;
}

/**
 * The configuration in force. A configured path that does not exist is an error (a typo must not
 * turn the public demo key on); without a configured path the default file is used when present,
 * else the demo when asked for, else start-up fails with what to do.
 */
export function resolveAccountsConfig(source: AccountsSource): { config: AccountsConfig; source: 'file' | 'demo'; file: string } {
  const file = source.configured === undefined && source.defaultFile ? source.defaultFile : accountsConfigPath(source.configured);
  if (source.configured !== undefined && !existsSync(file)) {
    throw new ConfigError(`FACEMATCH_CONFIG names an accounts file that does not exist (${path.basename(file)}); fix the path or unset it`);
  }
  const config = readAccountsConfig(file);
  if (config) return { config, source: 'file', file };
  if (source.demo) return { config: demoConfig(source.demoKey), source: 'demo', file };
  throw new ConfigError(
    `no accounts file (${DEFAULT_ACCOUNTS_FILE}); create one with \`facematch keys create\`, set FACEMATCH_CONFIG, or run the demo with \`npm start\` or FACEMATCH_DEMO=on`,
  );
}

/** Write atomically (temp file + rename), readable by the owner only. */
export function writeAccountsConfig(file: string, config: AccountsConfig): void {
  const valid = parseAccountsConfig(config);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(valid, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
