/**
 * The accounts file: organisations and hashed API keys, validated by zod. Path from FACEMATCH_CONFIG
 * (default config/facematch.json, relative to the repository root). When the file is absent a built-in demo configuration is used: one
 * approved organisation, "demo", subscribed to face_match, with a fixed, documented demo key.
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
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

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

/** The configuration in force: the file when present, otherwise the built-in demo. */
export function loadAccountsConfig(file: string, demo: AccountsConfig = demoConfig()): { config: AccountsConfig; source: 'file' | 'demo' } {
  const config = readAccountsConfig(file);
  return config ? { config, source: 'file' } : { config: demo, source: 'demo' };
}

/** Write atomically (temp file + rename), readable by the owner only. */
export function writeAccountsConfig(file: string, config: AccountsConfig): void {
  const valid = parseAccountsConfig(config);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(valid, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
