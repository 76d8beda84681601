/**
 * `npx tsx bench/receipts.ts`: what a receipt adds to a verification — hashing the selfie as sent
 * (Base64 → bytes → SHA-256) and signing the claims (Ed25519 JWS). Synthetic inputs, in process.
 */
import { randomBytes } from 'node:crypto';
import { imageSha256 } from '../src/receipts/hash.ts';
import type { ReceiptFacts } from '../src/receipts/claims.ts';
import { createEphemeralReceiptSigner } from '../src/receipts/signer.ts';

async function perCall(rounds: number, f: () => unknown): Promise<number> {
  await f();
  const t = performance.now();
  for (let i = 0; i < rounds; i++) await f();
  return (performance.now() - t) / rounds;
}

const facts: ReceiptFacts = {
  request_id: 'q7Hk2Lm9Xa3B',
  time: new Date().toISOString(),
  org: 'acme',
  endpoint: '/v1/face-comparison',
  id_type: 'PE_DNI',
  id_number_masked: '******18',
  selfie_sha256: 'a'.repeat(64),
  reference_sha256: 'b'.repeat(64),
  engine: 'engine@1',
  calibration: 'cal@1',
  threshold: 0.75,
  score: 0.91,
  verdict: 'CONFIRMED',
  source: 'pe-reniec',
};

const signer = createEphemeralReceiptSigner();
const rows: Array<[string, number]> = [['sign one receipt (Ed25519 JWS)', await perCall(2000, () => signer.sign(facts))]];
for (const mib of [0.5, 3, 10]) {
  const base64 = randomBytes(Math.round(mib * 1024 * 1024)).toString('base64');
  rows.push([`hash a ${mib} MiB selfie sent as Base64`, await perCall(20, () => imageSha256(base64))]);
}
for (const [name, ms] of rows) process.stdout.write(`${name.padEnd(40)} ${ms.toFixed(3)} ms\n`);
