/** GET /.well-known/jwks.json: the public keys that verify receipts (never a private part). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';

const PublicJwkSchema = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string(),
    kid: z.string(),
    alg: z.literal('EdDSA'),
    use: z.literal('sig'),
  })
  .strict()
  .openapi('ReceiptPublicKey');

export const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'receiptKeys',
  tags: ['Receipts'],
  summary: 'Public keys that verify verification receipts (JWKS)',
  description: 'Every configured receipt key, active and retired, public part only. Receipts name their key in the JWS `kid` header.',
  responses: { 200: { description: 'The JSON Web Key Set.', content: { 'application/json': { schema: z.object({ keys: z.array(PublicJwkSchema) }).openapi('ReceiptJwks') } } } },
});

export function registerJwks(app: OpenAPIHono<AppEnv>): void {
  app.openapi(jwksRoute, async (c) => {
    const jwks = await c.get('services').receipts.jwks();
    // Parsing through the strict schema guarantees that nothing but public fields leaves.
    const keys = jwks.keys.map((k) => PublicJwkSchema.parse({ kty: k.kty, crv: k.crv, x: k.x, kid: k.kid, alg: k.alg, use: k.use }));
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ keys }, 200);
  });
}
