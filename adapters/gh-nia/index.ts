/** The gh-nia adapter plug-in: config schema, mock defaults and factory (see adapters/README.md). */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { NiaGhanaCardAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { merchantKey: 'nia-demo-merchant-key' } as const;

export default defineAdapter({
  id: 'gh-nia',
  displayName: 'NIA Ghana Card (Ghana)',
  idTypes: ['GH_GHANA_CARD'],
  configSchema: z.object({
    merchantKey: z.string().min(1).default(MOCK_CREDENTIALS.merchantKey),
    lookupPath: z.string().startsWith('/').optional(),
  }),
  mock: { baseUrl: 'https://nia.registry.test', specialId: (code) => `GHA-000000${code}-0`, load: () => import('./mock.ts') },
  create: (config, deps) => new NiaGhanaCardAdapter(config, deps),
});
