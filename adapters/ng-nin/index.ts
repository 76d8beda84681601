/** The ng-nin adapter plug-in: config schema, mock defaults and factory (see adapters/README.md). */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { NinAggregatorAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { appId: 'demo-app-id', secretKey: 'test_sk_demo' } as const;

export default defineAdapter({
  id: 'ng-nin',
  displayName: 'NIMC NIN via aggregator (Nigeria)',
  idTypes: ['NG_NIN'],
  configSchema: z.object({
    appId: z.string().min(1).default(MOCK_CREDENTIALS.appId),
    secretKey: z.string().min(1).default(MOCK_CREDENTIALS.secretKey),
  }),
  mock: { baseUrl: 'https://nin-aggregator.registry.test', specialId: (code) => `70000000${code}`, load: () => import('./mock.ts') },
  create: (config, deps) => new NinAggregatorAdapter(config, deps),
});
