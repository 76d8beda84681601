/** The br-serpro adapter plug-in (Serpro Datavalid, match at source): config schema, mock defaults and factory. */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { cpfCheckDigits } from '../../src/registry/validators.ts';
import { DATAVALID_VALIDATE_PATH, DatavalidAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { consumerKey: 'datavalid-demo-key', consumerSecret: 'datavalid-demo-secret' } as const;

export default defineAdapter({
  id: 'br-serpro',
  displayName: 'Serpro Datavalid CPF + face (Brazil)',
  idTypes: ['BR_CPF'],
  configSchema: z.object({
    tokenUrl: z.url().optional(),
    consumerKey: z.string().min(1).default(MOCK_CREDENTIALS.consumerKey),
    consumerSecret: z.string().min(1).default(MOCK_CREDENTIALS.consumerSecret),
    validatePath: z.string().startsWith('/').default(DATAVALID_VALIDATE_PATH),
  }),
  mock: { baseUrl: 'https://datavalid.registry.test', specialId: (code) => `900000${code}${cpfCheckDigits(`900000${code}`)}`, load: () => import('./mock.ts') },
  create: (config, deps) => new DatavalidAdapter(config, deps),
});
