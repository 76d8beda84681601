/**
 * Make a demo offline e-KYC document for `npm start`:
 *   npx tsx adapters/in-aadhaar/demo-document.ts <out-dir>
 * writes `<out-dir>/registry-config.json` (the throwaway signing certificate as the UIDAI
 * certificate) and `<out-dir>/offline-ekyc.zip` (Bernadette's demo record, signed, share code 2468).
 * The signing key exists only in this process. Synthetic data; never a real Aadhaar document.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { readDemoIdentities, resolveFacePath } from '../../mocks/demo-identities.ts';
import { ekycXml, ekycZip, signEkyc, TEST_UIDAI } from './mock.ts';

const SHARE_CODE = '2468';
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: npx tsx adapters/in-aadhaar/demo-document.ts <out-dir>');
  process.exit(2);
}
const identity = (await readDemoIdentities()).find((i) => i.id_type === 'IN_AADHAAR');
if (!identity) throw new Error('no IN_AADHAAR demo identity in mocks/demo-identities.json');
const photo = new Uint8Array(await sharp(resolveFacePath(identity.registry_photo)).resize(200, 200, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer());
const xml = ekycXml({ last4: identity.id_number.replace(/\D/g, '').slice(-4), fullName: `${identity.first_name} ${identity.last_name}`, dateOfBirth: identity.date_of_birth, gender: identity.gender, photo });
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'offline-ekyc.zip'), await ekycZip(signEkyc(xml), SHARE_CODE));
writeFileSync(path.join(outDir, 'registry-config.json'), JSON.stringify({ adapters: { 'in-aadhaar': { uidaiCertificate: TEST_UIDAI.cert } } }, null, 2));
console.log(`wrote ${path.join(outDir, 'offline-ekyc.zip')} (share code ${SHARE_CODE}) and ${path.join(outDir, 'registry-config.json')}`);
