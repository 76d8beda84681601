/** Rejects bodies over the limit with 413 PAYLOAD_TOO_LARGE, by Content-Length or while streaming. */
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../../api/errors.ts';

export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('PAYLOAD_TOO_LARGE', `The request body is larger than ${Math.floor(maxBytes / 1024 / 1024)} MiB.`, { max_bytes: maxBytes });
    },
  });
}
