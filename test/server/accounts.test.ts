import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DEMO_API_KEY, resolveAccountsConfig, parseAccountsConfig, readAccountsConfig, demoConfig, ConfigError } from '../../src/accounts/config.ts';
import { parseEnv } from '../../src/config/env.ts';
import { generateApiKey, hashApiKey, hashesEqual } from '../../src/accounts/keys.ts';
import { createAccountStore } from '../../src/accounts/store.ts';
import { run as keysCli } from '../../src/cli/keys.ts';
import { testAccounts, KEYS } from '../support/app.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'facematch-accounts-'));

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('API keys', () => {
  it('are long, prefixed and random; only their SHA-256 hash is stored', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).toMatch(/^fm_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashApiKey(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashesEqual(hashApiKey(a), hashApiKey(a))).toBe(true);
    expect(hashesEqual(hashApiKey(a), hashApiKey(b))).toBe(false);
    expect(hashesEqual(hashApiKey(a), 'short')).toBe(false);
  });

  it('resolve to their organisation; unknown and revoked keys do not', () => {
    const store = createAccountStore(testAccounts());
    expect(store.authenticate(KEYS.approved)?.organisation.id).toBe('acme');
    expect(store.authenticate(KEYS.unapproved)?.organisation.approved).toBe(false);
    expect(store.authenticate(KEYS.revoked)).toBeUndefined();
    expect(store.authenticate('fm_unknown')).toBeUndefined();
    expect(store.authenticate('')).toBeUndefined();
  });
});

describe('accounts config', () => {
  it('uses the built-in demo organisation only in demo mode, when no accounts file is configured or present', () => {
    const defaultFile = path.join(tmp(), 'facematch.json');
    const { config, source } = resolveAccountsConfig({ configured: undefined, demo: true, defaultFile });
    expect(source).toBe('demo');
    const store = createAccountStore(config);
    expect(store.authenticate(DEFAULT_DEMO_API_KEY)?.organisation).toMatchObject({ id: 'demo', approved: true, services: ['face_match'] });
    // Not in demo mode: start-up fails with what to do.
    expect(() => resolveAccountsConfig({ configured: undefined, demo: false, defaultFile })).toThrow(/FACEMATCH_DEMO=on/);
  });

  it('refuses a configured accounts path that does not exist, even in demo mode (issue: a typo turned the demo key on)', () => {
    const missing = path.join(tmp(), 'typo.json');
    expect(() => resolveAccountsConfig({ configured: missing, demo: true })).toThrow(ConfigError);
    expect(() => resolveAccountsConfig({ configured: missing, demo: false })).toThrow(/does not exist/);
  });

  it('an accounts file wins over demo mode: the demo key does not work', () => {
    const file = path.join(tmp(), 'facematch.json');
    writeFileSync(file, JSON.stringify(testAccounts()));
    const resolved = resolveAccountsConfig({ configured: file, demo: true });
    expect(resolved.source).toBe('file');
    expect(createAccountStore(resolved.config).authenticate(DEFAULT_DEMO_API_KEY)).toBeUndefined();
    expect(resolveAccountsConfig({ configured: undefined, demo: true, defaultFile: file }).source).toBe('file');
  });

  it('lets FACEMATCH_DEMO_API_KEY override the demo key', () => {
    vi.stubEnv('FACEMATCH_DEMO_API_KEY', 'fm_my_own_demo_key_123456');
    const store = createAccountStore(demoConfig(parseEnv().FACEMATCH_DEMO_API_KEY));
    expect(store.authenticate('fm_my_own_demo_key_123456')?.organisation.id).toBe('demo');
    expect(store.authenticate(DEFAULT_DEMO_API_KEY)).toBeUndefined();
  });

  it('rejects invalid files with a readable message', () => {
    expect(() => parseAccountsConfig({ organisations: [{ id: 'Bad Id', name: '', approved: 'yes' }] })).toThrow(ConfigError);
    expect(() => parseAccountsConfig({ organisations: [], api_keys: [{ id: 'k', org_id: 'ghost', hash: hashApiKey('x') }] })).toThrow(/unknown organisation ghost/);
    expect(() => parseAccountsConfig({ organisations: [], api_keys: [{ id: 'k', org_id: 'x', hash: 'plaintext-key' }] })).toThrow(/sha256/);
    const dir = tmp();
    writeFileSync(path.join(dir, 'c.json'), '{nope');
    expect(() => readAccountsConfig(path.join(dir, 'c.json'))).toThrow(/not valid JSON/);
  });

  it('accepts the example config shipped in config/', () => {
    const example = JSON.parse(readFileSync(new URL('../../config/facematch.example.json', import.meta.url), 'utf8'));
    expect(() => parseAccountsConfig(example)).not.toThrow();
  });
});

describe('facematch keys create', () => {
  it('creates a key, stores only its hash, and prints it once', async () => {
    const file = path.join(tmp(), 'facematch.json');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await keysCli(['create', '--org', 'demo', '--config', file, '--label', 'ci'])).toBe(0);
    const key = out.join('').trim();
    expect(key).toMatch(/^fm_/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain(hashApiKey(key));
    expect(statSync(file).mode & 0o077).toBe(0);
    const config = readAccountsConfig(file)!;
    expect(config.api_keys).toHaveLength(1);
    expect(config.api_keys[0]).toMatchObject({ org_id: 'demo', label: 'ci', revoked: false });
    expect(createAccountStore(config).authenticate(key)?.organisation.id).toBe('demo');
    // The demo key is not carried into a real config file.
    expect(createAccountStore(config).authenticate(DEFAULT_DEMO_API_KEY)).toBeUndefined();

    out.length = 0;
    expect(await keysCli(['create', '--org', 'demo', '--config', file])).toBe(0);
    expect(readAccountsConfig(file)!.api_keys).toHaveLength(2);
  });

  it('refuses an unknown organisation and bad usage', async () => {
    const file = path.join(tmp(), 'facematch.json');
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    expect(await keysCli(['create', '--org', 'nobody', '--config', file])).toBe(1);
    expect(err.join('')).toMatch(/unknown organisation 'nobody'/);
    expect(await keysCli(['create', '--config', file])).toBe(2);
    expect(await keysCli(['delete'])).toBe(2);
  });
});
