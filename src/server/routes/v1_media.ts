/**
 * GET /v1/media/{token}: the face-match report's temporary image links. The signed token is the
 * capability (no API key, so the links work in an <img> tag); it expires 60 minutes after the
 * report and the image lives in memory only. 404 for unknown, tampered or no-longer-held links,
 * 410 MEDIA_EXPIRED after expiry.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { errorResponse } from '../../api/envelope.ts';
import { ApiError } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

export const MEDIA_PATH_PREFIX = '/v1/media/';

export const mediaRoute = createRoute({
  method: 'get',
  path: '/v1/media/{token}',
  operationId: 'media',
  tags: ['Face match'],
  summary: 'A temporary image of a face-match report (JPEG face crop)',
  description: 'Serves `source_image` / `target_image` of a face-match report. The token is signed (HMAC over id and expiry) and valid for 60 minutes; images are held in memory only and are gone after expiry or a restart. No API key: treat the URL as a secret.',
  request: { params: z.object({ token: z.string().min(1).max(200).openapi({ description: 'Signed link token.', example: 'Vb6tq0nX3yq1sQm2a8Xw9g.1795540345.3uYl...' }) }) },
  responses: {
    200: { description: 'The JPEG image.', content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } } },
    404: errorResponse('NOT_FOUND: unknown or tampered link, or the image is no longer held (restart).'),
    410: errorResponse('MEDIA_EXPIRED: the link is past its 60-minute expiry.'),
  },
});

export function registerMedia(app: OpenAPIHono<AppEnv>): void {
  app.openapi(mediaRoute, async (c) => {
    const { token } = c.req.valid('param');
    const found = await c.get('services').media.get(token);
    if (found.status === 'expired') throw new ApiError('MEDIA_EXPIRED');
    if (found.status === 'not_found') throw new ApiError('NOT_FOUND', 'No such image: the link is unknown, invalid or no longer available.');
    const seconds = Math.max(0, Math.floor((found.expiresAt.getTime() - c.get('services').clock.now().getTime()) / 1000));
    c.header('Content-Type', found.contentType);
    // Private, short-lived biometric data: no shared caches, no referrer leaks, no sniffing.
    c.header('Cache-Control', `private, max-age=${Math.min(seconds, 300)}`);
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Expires', found.expiresAt.toUTCString());
    return c.body(new Uint8Array(found.bytes) as unknown as ArrayBuffer, 200) as never;
  });
}
