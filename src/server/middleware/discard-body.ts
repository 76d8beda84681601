/**
 * After answering a request without reading its body (a refusal), read the rest of the upload and
 * throw it away, in the background. Closing the connection instead would reset it while the client
 * is still sending, and a TCP reset makes the client lose the answer it has not read yet: a refused
 * 9 MB upload would look like a network error instead of a 503. Nothing is kept (constant memory),
 * and a body past `maxBytes` or `maxMs` is cut off.
 */
export function discardBody(request: Request, limits: { maxBytes: number; maxMs: number }): void {
  const body = request.body;
  if (!body || body.locked) return;
  const reader = body.getReader();
  let seen = 0;
  const timer = setTimeout(() => void reader.cancel().catch(() => undefined), limits.maxMs);
  timer.unref();
  const pump = async (): Promise<void> => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += value.byteLength;
      if (seen > limits.maxBytes) {
        await reader.cancel();
        break;
      }
    }
  };
  void pump()
    .catch(() => undefined)
    .finally(() => clearTimeout(timer));
}
