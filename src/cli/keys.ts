/**
 * `facematch keys create --org <id> [--config path] [--label text]`: generate an API key, store only
 * its hash in the accounts file, and print the key once. When the file does not exist yet it is created
 * with the demo organisation (and no keys), so `--org demo` works on a fresh checkout.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ORGANISATION, accountsConfigPath, readAccountsConfig, writeAccountsConfig, type AccountsConfig } from '../accounts/config.ts';
import { generateApiKey, hashApiKey, keyHint } from '../accounts/keys.ts';
import { envVar } from '../config/env.ts';

const USAGE = 'usage: facematch keys create --org <id> [--config path] [--label text]\n';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    process.stderr.write(USAGE);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  let values: { org?: string; config?: string; label?: string };
  try {
    ({ values } = parseArgs({ args: rest, options: { org: { type: 'string' }, config: { type: 'string' }, label: { type: 'string' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`facematch keys: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.org) {
    process.stderr.write(`facematch keys: --org is required\n${USAGE}`);
    return 2;
  }
  const file = values.config ? path.resolve(values.config) : accountsConfigPath(envVar('FACEMATCH_CONFIG'));
  let config: AccountsConfig;
  try {
    config = readAccountsConfig(file) ?? { organisations: [{ ...DEMO_ORGANISATION }], api_keys: [] };
  } catch (err) {
    process.stderr.write(`facematch keys: ${(err as Error).message}\n`);
    return 1;
  }
  const org = config.organisations.find((o) => o.id === values.org);
  if (!org) {
    process.stderr.write(`facematch keys: unknown organisation '${values.org}'; known: ${config.organisations.map((o) => o.id).join(', ') || '(none)'}\n`);
    return 1;
  }
  const key = generateApiKey();
  const id = `key_${randomBytes(6).toString('hex')}`;
  config.api_keys.push({
    id,
    org_id: org.id,
    hash: hashApiKey(key),
    hint: keyHint(key),
    ...(values.label ? { label: values.label } : {}),
    created_at: new Date().toISOString(),
    revoked: false,
  });
  try {
    writeAccountsConfig(file, config);
  } catch (err) {
    process.stderr.write(`facematch keys: could not write ${path.basename(file)}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`created ${id} for organisation '${org.id}' in ${path.relative(process.cwd(), file) || file}; the key is shown once, store it now:\n`);
  process.stdout.write(`${key}\n`);
  return 0;
}
