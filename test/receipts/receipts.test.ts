import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { serve } from '@hono/node-server';
import { decodeProtectedHeader, CompactSign, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { addKeyToFile, generateReceiptKey, parseKeyFile, readKeyFile } from '../../src/receipts/keys.ts';
import { createEphemeralReceiptSigner, createReceiptSigner } from '../../src/receipts/signer.ts';
import { keySetFrom, verifyReceipt } from '../../src/receipts/verify.ts';
import { ReceiptClaimsSchema, type ReceiptFacts } from '../../src/receipts/claims.ts';
import { createHarness, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const b64bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

const FACTS: ReceiptFacts = {
  request_id: 'q7Hk2Lm9Xa3B',
  time: '2026-11-23T12:00:00.000Z',
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

describe('receipt signing and verification', () => {
  it('signs a compact EdDSA JWS whose claims verify against the published JWKS', async () => {
    const key = await generateReceiptKey('2026-12');
    const signer = createReceiptSigner({ keys: [key] });
    const jws = await signer.sign(FACTS);
    expect(jws.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'EdDSA', kid: '2026-12', typ: 'facematch-receipt+jwt' });
    const { kid, claims } = await verifyReceipt(jws, keySetFrom(await signer.jwks()));
    expect(kid).toBe('2026-12');
    expect(claims).toEqual({ ...FACTS, iss: 'facematch', iat: Date.parse(FACTS.time) / 1000, jti: FACTS.request_id });
  });

  it('rejects a receipt with a changed claim, and one signed by another key with the same kid', async () => {
    const key = await generateReceiptKey('k1');
    const signer = createReceiptSigner({ keys: [key] });
    const jwks = keySetFrom(await signer.jwks());
    const jws = await signer.sign(FACTS);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const changed = Buffer.from(JSON.stringify({ ...decodeJwt(jws), verdict: 'MISMATCH' })).toString('base64url');
    await expect(verifyReceipt(`${h}.${changed}.${s}`, jwks)).rejects.toThrow(/signature/i);
    expect((await verifyReceipt(`${h}.${p}.${s}`, jwks)).claims.verdict).toBe('CONFIRMED');

    const impostor = createReceiptSigner({ keys: [await generateReceiptKey('k1')] });
    await expect(verifyReceipt(await impostor.sign(FACTS), jwks)).rejects.toThrow(/signature/i);
  });

  it('refuses a JWS that is not a receipt (other typ) even when the key is right', async () => {
    const key = await generateReceiptKey('k1');
    const signer = createReceiptSigner({ keys: [key] });
    const { importJWK } = await import('jose');
    const other = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iss: 'facematch' })))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .sign(await importJWK(key, 'EdDSA'));
    await expect(verifyReceipt(other, keySetFrom(await signer.jwks()))).rejects.toThrow();
  });

  it('rotation: the newest private key signs, retired keys stay published and old receipts still verify', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facematch-receipt-'));
    const file = path.join(dir, 'keys.json');
    await addKeyToFile(file, 'old');
    const oldReceipt = await createReceiptSigner(readKeyFile(file)).sign(FACTS);
    await addKeyToFile(file, 'new');
    // Retire the old key's private part: publish-only from now on.
    const keys = readKeyFile(file).keys.map((k) => (k.kid === 'old' ? { ...k, d: undefined } : k));
    const rotated = createReceiptSigner(parseKeyFile(JSON.parse(JSON.stringify({ keys }))));
    expect(await rotated.activeKid()).toBe('new');
    const jwks = await rotated.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual(['old', 'new']);
    expect((await verifyReceipt(oldReceipt, keySetFrom(jwks))).kid).toBe('old');
    expect(decodeProtectedHeader(await rotated.sign(FACTS)).kid).toBe('new');
    await expect(addKeyToFile(file, 'new')).rejects.toThrow(/already/);
  });

  it('rejects key files without a signing key or with duplicate kids', async () => {
    const k = await generateReceiptKey('a');
    expect(() => parseKeyFile({ keys: [k, { ...k }] })).toThrow(/distinct kid/);
    expect(() => parseKeyFile({ keys: [{ ...k, crv: 'P-256' }] })).toThrow();
    await expect(createReceiptSigner(parseKeyFile({ keys: [{ ...k, d: undefined }] })).sign(FACTS)).rejects.toThrow(/private part/);
  });
});

describe('receipts on the HTTP API', () => {
  it('GET /.well-known/jwks.json serves the public keys only', async () => {
    const key = await generateReceiptKey('pub-only');
    const h = createHarness({ receipts: createReceiptSigner({ keys: [key] }) });
    const res = await h.app.request('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: 'pub-only', alg: 'EdDSA', use: 'sig' }] });
    expect(JSON.stringify(body)).not.toContain(key.d!);
  });

  it('a face comparison carries meta.receipt (and the header) over hashes of both photos; a cache hit keeps the reference hash', async () => {
    const signer = createEphemeralReceiptSigner();
    const h = createHarness({ receipts: signer });
    const selfie = selfieWithSimilarity(0.91);
    const jwks = keySetFrom(await signer.jwks());
    for (const expectedCache of ['miss', 'hit']) {
      const res = await h.compare(validBody({ selfie }));
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.meta.cache).toBe(expectedCache);
      expect(res.headers.get('facematch-receipt')).toBe(body.meta.receipt);
      const { claims } = await verifyReceipt(body.meta.receipt, jwks);
      expect(ReceiptClaimsSchema.parse(claims)).toMatchObject({
        request_id: body.meta.request_id,
        org: 'acme',
        endpoint: '/v1/face-comparison',
        id_type: 'TEST_ID',
        id_number_masked: '******78',
        selfie_sha256: sha256(b64bytes(selfie)),
        reference_sha256: sha256('FAKEIMG:REFERENCE'),
        engine: 'fake-engine@1',
        calibration: h.services.policy.calibration.version,
        threshold: 0.75,
        score: body.data.confidence.score,
        verdict: 'CONFIRMED',
        source: 'test-registry',
      });
      expect(body.meta.receipt).not.toContain('12345678');
      expect(JSON.stringify(claims)).not.toContain('12345678');
    }
  });

  it('the face-match products send the receipt in the Facematch-Receipt header, over the decoded ID image', async () => {
    const signer = createEphemeralReceiptSigner();
    const h = createHarness({ receipts: signer });
    const selfie = selfieWithSimilarity(0.8);
    for (const [route, verdict, score, threshold] of [['/v1/face-match', 'FACE_MISMATCH', 80, 90], ['/v1/face-match-report', 'In Review', 80, 90]] as const) {
      const res = await post(h, route, { selfie: `data:image/jpeg;base64,${selfie}`, idImage: ID_IMAGE });
      expect(res.status).toBe(200);
      const { claims } = await verifyReceipt(res.headers.get('facematch-receipt')!, keySetFrom(await signer.jwks()));
      expect(claims).toMatchObject({ endpoint: route, verdict, score, threshold, id_type: null, id_number_masked: null, source: 'id_image', selfie_sha256: sha256(b64bytes(selfie)), reference_sha256: sha256(b64bytes(ID_IMAGE)) });
    }
  });

  it('errors carry no receipt', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: 'not base64!' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('facematch-receipt')).toBeNull();
    expect((await res.json()).meta.receipt).toBeUndefined();
  });
});

describe('npx facematch receipt verify', () => {
  const cli = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['bin/facematch.js', 'receipt', ...args], { encoding: 'utf8', input, timeout: 60_000 });

  it('prints the claims of a genuine receipt and fails on a changed claim or another key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facematch-cli-'));
    const keys = path.join(dir, 'keys.json');
    const keygen = cli(['keygen', '--kid', 'cli-1', '--keys', keys]);
    expect(keygen.status).toBe(0);
    const signer = createReceiptSigner(readKeyFile(keys));
    const jwksFile = path.join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(await signer.jwks()));
    expect(readFileSync(jwksFile, 'utf8')).not.toContain('"d"');
    const jws = await signer.sign(FACTS);

    const ok = cli(['verify', jws, '--jwks', jwksFile]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('receipt verified (key cli-1)');
    expect(ok.stdout).toContain('"verdict": "CONFIRMED"');
    expect(cli(['verify', '-', '--jwks', jwksFile], jws).status).toBe(0);

    const [h, , s] = jws.split('.') as [string, string, string];
    const changed = Buffer.from(JSON.stringify({ ...decodeJwt(jws), score: 0.99 })).toString('base64url');
    const bad = cli(['verify', `${h}.${changed}.${s}`, '--jwks', jwksFile]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('NOT verified');

    const other = createReceiptSigner({ keys: [await generateReceiptKey('cli-1')] });
    expect(cli(['verify', await other.sign(FACTS), '--jwks', jwksFile]).status).toBe(1);
    expect(cli(['verify', jws]).status).toBe(2);
  });

  it('fetches the keys from the service\'s JWKS URL', async () => {
    const signer = createEphemeralReceiptSigner();
    const h = createHarness({ receipts: signer });
    const receipt = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.9) }))).json()).meta.receipt as string;
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    try {
      const run = (jws: string) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, ['bin/facematch.js', 'receipt', 'verify', jws, '--jwks', `http://127.0.0.1:${port}/.well-known/jwks.json`]);
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', (code) => resolve({ code, out }));
        });
      const ok = await run(receipt);
      expect(ok.code).toBe(0);
      expect(ok.out).toContain('"endpoint": "/v1/face-comparison"');
      const forged = await run(await createEphemeralReceiptSigner().sign(FACTS));
      expect(forged.code).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
