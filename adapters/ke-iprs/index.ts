/** The ke-iprs adapter plug-in: config schema, mock defaults and factory (see adapters/README.md). */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { IprsAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { username: 'demo-bank', password: 'iprs-demo-password' } as const;

export default defineAdapter({
  id: 'ke-iprs',
  displayName: 'IPRS (Kenya)',
  idTypes: ['KE_NATIONAL_ID'],
  configSchema: z.object({
    username: z.string().min(1).default(MOCK_CREDENTIALS.username),
    password: z.string().min(1).default(MOCK_CREDENTIALS.password),
  }),
  mock: { baseUrl: 'https://iprs.registry.test/IPRSServiceInterface/ServiceIPRS.svc', specialId: (code) => `20000${code}`, load: () => import('./mock.ts') },
  create: (config, deps) => new IprsAdapter(config, deps),
});
