/** The pe-reniec adapter plug-in: config schema, mock defaults and factory (see adapters/README.md). */
import { z } from 'zod';
import { defineAdapter } from '../../src/registry/plugin.ts';
import { ReniecAdapter } from './adapter.ts';

/** The credentials the mock accepts (throwaway, for the demo and tests only); the config defaults. */
export const MOCK_CREDENTIALS = { nuDniUsuario: '40000001', nuRucUsuario: '20100000001', password: 'pide-demo-password' } as const;

export default defineAdapter({
  id: 'pe-reniec',
  displayName: 'RENIEC via PIDE (Peru)',
  idTypes: ['PE_DNI'],
  configSchema: z.object({
    nuDniUsuario: z.string().regex(/^\d{8}$/).default(MOCK_CREDENTIALS.nuDniUsuario),
    nuRucUsuario: z.string().regex(/^\d{11}$/).default(MOCK_CREDENTIALS.nuRucUsuario),
    password: z.string().min(1).default(MOCK_CREDENTIALS.password),
  }),
  mock: { baseUrl: 'https://ws2.pide.registry.test', specialId: (code) => `10000${code}`, load: () => import('./mock.ts') },
  create: (config, deps) => new ReniecAdapter(config, deps),
});
