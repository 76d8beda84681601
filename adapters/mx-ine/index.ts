/** The mx-ine adapter plug-in (INE via provider, match at source; CURP validation): config schema, mock defaults and factory. */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { IneProviderAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { apiKey: 'ine-provider-demo-key' } as const;

export default defineAdapter({
  id: 'mx-ine',
  displayName: 'INE biometric verification via provider (Mexico)',
  idTypes: ['MX_INE', 'MX_CURP'],
  configSchema: z.object({
    apiKey: z.string().min(1).default(MOCK_CREDENTIALS.apiKey),
  }),
  mock: {
    baseUrl: 'https://ine-provider.registry.test',
    // A CIC + identificador ciudadano pair.
    specialId: (code) => `100000${code}-200000${code}`,
    load: () => import('./mock.ts'),
  },
  create: (config, deps) => new IneProviderAdapter(config, deps),
});
