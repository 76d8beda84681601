import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, envSchema, envVar, parseEnv } from '../../src/config/env.ts';
import { renderEnvTable, withEnvTable } from '../../src/config/env-docs.ts';
import { repoRoot } from '../../src/config/paths.ts';
import { DEFAULT_DEMO_API_KEY } from '../../src/accounts/config.ts';
import { DEFAULT_BREAKER_OPTIONS } from '../../src/registry/resilience.ts';
import { parseRegistryConfig } from '../../src/registry/config.ts';
import { ADAPTERS } from '../../adapters/index.ts';

describe('environment configuration', () => {
  it('gives every variable its default when the environment is empty', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.FACEMATCH_REGISTRY_MOCKS).toBe('on');
    expect(env.FACEMATCH_DEMO_API_KEY).toBe(DEFAULT_DEMO_API_KEY);
    expect(env.FACEMATCH_MAX_BODY_BYTES).toBe(15 * 1024 * 1024);
    expect(env.FACEMATCH_PUBLIC_BASE_URL).toBeUndefined();
  });

  it('coerces numbers and treats an empty variable as unset', () => {
    const env = parseEnv({ PORT: '8080', FACEMATCH_CACHE_TTL_SECONDS: '60', FACEMATCH_MEDIA_SECRET: '', LOG_LEVEL: '' });
    expect(env.PORT).toBe(8080);
    expect(env.FACEMATCH_CACHE_TTL_SECONDS).toBe(60);
    expect(env.FACEMATCH_MEDIA_SECRET).toBeUndefined();
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('rejects bad values, naming every bad variable', () => {
    let error: unknown;
    try {
      parseEnv({ LOG_LEVEL: 'verbose', PORT: 'http', FACEMATCH_PUBLIC_BASE_URL: 'not a url', FACEMATCH_REGISTRY_MOCKS: 'yes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    for (const name of ['LOG_LEVEL', 'PORT', 'FACEMATCH_PUBLIC_BASE_URL', 'FACEMATCH_REGISTRY_MOCKS']) expect(message).toContain(name);
  });

  it('rejects a media secret shorter than 16 characters and a non-positive body limit', () => {
    expect(() => parseEnv({ FACEMATCH_MEDIA_SECRET: 'short' })).toThrow(/FACEMATCH_MEDIA_SECRET/);
    expect(() => parseEnv({ FACEMATCH_MAX_BODY_BYTES: '0' })).toThrow(/FACEMATCH_MAX_BODY_BYTES/);
  });

  it('includes the limits variables, parsed once with the rest', () => {
    const env = parseEnv({ FACEMATCH_LOCKOUT_ID: '3/60', FACEMATCH_ADMISSION_MAX_QUEUED: '0' });
    expect(env.FACEMATCH_LOCKOUT_ID).toBe('3/60');
    expect(env.FACEMATCH_ADMISSION_MAX_QUEUED).toBe(0);
    expect(() => parseEnv({ FACEMATCH_LOCKOUT_ID: 'ten' })).toThrow(/FACEMATCH_LOCKOUT_ID/);
    expect(renderEnvTable()).toContain('| `FACEMATCH_LOCKOUT_ID` | string | `10/86400` |');
  });

  it('reads one variable for commands outside the server', () => {
    expect(envVar('FACEMATCH_LEDGER', {})).toBe('var/usage.jsonl');
    expect(envVar('FACEMATCH_LEDGER', { FACEMATCH_LEDGER: '/tmp/x.jsonl' })).toBe('/tmp/x.jsonl');
    expect(() => envVar('PORT', { PORT: '70000' })).toThrow(/PORT/);
  });

  it('documents every variable with a description', () => {
    for (const [name, schema] of Object.entries(envSchema.shape)) expect(schema.description, name).toBeTruthy();
    const table = renderEnvTable();
    for (const name of Object.keys(envSchema.shape)) expect(table).toContain(`| \`${name}\` |`);
  });

  it('the README configuration table is generated from the schema (run `facematch env-docs --write`)', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(withEnvTable(readme)).toBe(readme);
  });

  it('the circuit breaker has one default failure threshold', () => {
    expect(parseRegistryConfig(ADAPTERS, {}).breaker.failureThreshold).toBe(DEFAULT_BREAKER_OPTIONS.failureThreshold);
  });
});
