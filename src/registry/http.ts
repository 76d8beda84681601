/**
 * The adapters' HTTP layer: the global `fetch` (so msw can intercept it) with an undici `Agent` as
 * dispatcher for keep-alive pooling and connect/headers/body timeouts, a per-call deadline through
 * an AbortSignal, a response-size cap, and network failures mapped onto RegistryError('UNAVAILABLE').
 */
import { Agent, type Dispatcher } from 'undici';
import { RegistryError } from './types.ts';

export interface HttpClientOptions {
  /** Default per-call budget (connect + headers + body), ms. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** Default response cap, bytes. */
  maxResponseBytes?: number;
  /** Bring your own dispatcher (tests, proxies); otherwise an Agent is created and owned. */
  dispatcher?: Dispatcher;
  /** Defaults to the global fetch, looked up on every call so interceptors installed later apply. */
  fetch?: typeof fetch;
}

export interface HttpRequest {
  method?: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Overrides the client's default budget for this call. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Caller's cancellation (the lookup's overall budget). */
  signal?: AbortSignal;
  /** For error attribution. */
  adapterId?: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  text(): string;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const ownsDispatcher = !options.dispatcher;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      connect: { timeout: options.connectTimeoutMs ?? Math.min(5_000, timeoutMs) },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const budget = req.timeoutMs ?? timeoutMs;
    const cap = req.maxResponseBytes ?? maxResponseBytes;
    const adapterId = req.adapterId;
    const deadline = AbortSignal.timeout(budget);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const doFetch = options.fetch ?? globalThis.fetch;
    const init: RequestInit & { dispatcher: Dispatcher } = {
      method: req.method ?? 'GET',
      headers: req.headers,
      body: req.body as BodyInit | undefined,
      signal,
      redirect: 'manual',
      dispatcher,
    };
    try {
      const res = await doFetch(req.url, init);
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > cap) {
        await res.body?.cancel().catch(() => undefined);
        throw new RegistryError('MALFORMED', `response of ${declared} bytes exceeds the cap`, { adapterId });
      }
      const body = await readCapped(res, cap, adapterId);
      return {
        status: res.status,
        headers: res.headers,
        body,
        text: () => new TextDecoder().decode(body),
      };
    } catch (err) {
      throw toRegistryError(err, { adapterId, budget, deadline, callerSignal: req.signal });
    }
  }

  return {
    request,
    async close() {
      if (ownsDispatcher) await dispatcher.close().catch(() => undefined);
    },
  };
}

async function readCapped(res: Response, cap: number, adapterId?: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw new RegistryError('MALFORMED', `response exceeds the ${cap}-byte cap`, { adapterId });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function toRegistryError(
  err: unknown,
  ctx: { adapterId?: string; budget: number; deadline: AbortSignal; callerSignal?: AbortSignal },
): RegistryError {
  if (err instanceof RegistryError) return err;
  const { adapterId } = ctx;
  if (ctx.deadline.aborted) {
    return new RegistryError('UNAVAILABLE', `registry did not answer within ${ctx.budget} ms`, { adapterId, cause: err });
  }
  if (ctx.callerSignal?.aborted) {
    // The caller's overall budget ran out or the request was cancelled: do not retry.
    return new RegistryError('UNAVAILABLE', 'registry lookup cancelled or out of time', {
      adapterId,
      retryable: false,
      cause: err,
    });
  }
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  return new RegistryError('UNAVAILABLE', `registry unreachable${code ? ` (${code})` : ''}`, { adapterId, cause: err });
}

/** Parse a Retry-After header (delta-seconds or HTTP date) into whole seconds, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
