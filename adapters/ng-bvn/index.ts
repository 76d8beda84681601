/** The ng-bvn adapter plug-in: config schema, mock defaults and factory (see adapters/README.md). */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { NibssBvnAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { organisationCode: '11111' } as const;

export default defineAdapter({
  id: 'ng-bvn',
  displayName: 'NIBSS BVN (Nigeria)',
  idTypes: ['NG_BVN'],
  configSchema: z.object({
    organisationCode: z.string().min(1).default(MOCK_CREDENTIALS.organisationCode),
  }),
  mock: { baseUrl: 'https://nibss.registry.test', specialId: (code) => `22000000${code}`, load: () => import('./mock.ts') },
  create: (config, deps) => new NibssBvnAdapter(config, deps),
});
