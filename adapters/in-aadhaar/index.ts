/** The in-aadhaar adapter plug-in (offline e-KYC, no network): config schema, mock defaults and factory. */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { AadhaarOfflineAdapter } from './adapter.ts';

export default defineAdapter({
  id: 'in-aadhaar',
  displayName: 'UIDAI Aadhaar offline e-KYC (India)',
  idTypes: ['IN_AADHAAR'],
  configSchema: z.object({
    /** UIDAI's offline e-KYC signing certificate, PEM. No default: there is nothing to verify against until it is set. */
    uidaiCertificate: z.string().includes('BEGIN CERTIFICATE').optional(),
  }),
  mock: {
    // Offline: no registry is called; the mock module only makes signed test documents.
    baseUrl: 'https://uidai-offline.registry.test',
    specialId: (code) => `0${code}`,
    load: () => import('./mock.ts'),
  },
  create: (config, deps) => new AadhaarOfflineAdapter(config, deps),
});
