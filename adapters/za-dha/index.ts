/** The za-dha adapter plug-in: config schema, mock defaults and factory (see adapters/README.md). */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { luhnCheckDigit } from '../../src/registry/validators.ts';
import { DhaProviderAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { clientId: 'demo-client', clientSecret: 'demo-client-secret' } as const;

export default defineAdapter({
  id: 'za-dha',
  displayName: 'DHA photo via provider (South Africa)',
  idTypes: ['ZA_ID'],
  configSchema: z.object({
    tokenUrl: z.url().optional(),
    clientId: z.string().min(1).default(MOCK_CREDENTIALS.clientId),
    clientSecret: z.string().min(1).default(MOCK_CREDENTIALS.clientSecret),
    scope: z.string().optional(),
  }),
  mock: {
    baseUrl: 'https://dha-provider.registry.test',
    specialId: (code) => {
      // A valid Luhn digit, so the number reaches the mock.
      const body = `8001015${code}08`;
      return body + String(luhnCheckDigit(body));
    },
    load: () => import('./mock.ts'),
  },
  create: (config, deps) => new DhaProviderAdapter(config, deps),
});
