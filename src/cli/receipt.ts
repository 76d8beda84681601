/**
 * `facematch receipt verify <jws> --jwks <file|url>`: checks a receipt's signature against a JWKS and
 * prints its claims (exit 0), or says why it does not verify (exit 1).
 * `facematch receipt keygen --kid <id> --keys <file>`: adds a new Ed25519 key to a key file; the new key
 * signs from the next start, the older ones stay published so their receipts still verify.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { addKeyToFile, publicJwk } from '../receipts/keys.ts';
import { keySetFrom, verifyReceipt } from '../receipts/verify.ts';

const USAGE = `usage:
  facematch receipt verify <jws|-> --jwks <file|url>   check a receipt and print its claims ('-' reads the receipt from stdin)
  facematch receipt keygen --kid <id> --keys <file>     add a signing key (rotation: the newest key signs)
`;

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { jwks: { type: 'string' } }, allowPositionals: true });
  const [given] = positionals;
  if (!given || !values.jwks) {
    process.stderr.write(USAGE);
    return 2;
  }
  const jws = given === '-' ? readFileSync(0, 'utf8') : given;
  const source = values.jwks;
  const keys = /^https?:\/\//i.test(source) ? keySetFrom(new URL(source)) : keySetFrom(JSON.parse(readFileSync(source, 'utf8')));
  try {
    const { kid, claims } = await verifyReceipt(jws, keys);
    process.stdout.write(`receipt verified (key ${kid})\n${JSON.stringify(claims, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`receipt NOT verified: ${(err as Error).message}\n`);
    return 1;
  }
}

async function keygen(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { kid: { type: 'string' }, keys: { type: 'string' } } });
  if (!values.kid || !values.keys) {
    process.stderr.write(USAGE);
    return 2;
  }
  const key = await addKeyToFile(values.keys, values.kid);
  process.stdout.write(`added key ${key.kid} to ${values.keys} (it signs after the next start)\npublic key: ${JSON.stringify(publicJwk(key))}\n`);
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') return verify(rest);
  if (sub === 'keygen') return keygen(rest);
  process.stderr.write(USAGE);
  return 2;
}
