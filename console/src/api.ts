/**
 * The console's only door to the service: same-origin fetches with the API key. The key lives in
 * memory and, for the tab's session only, in sessionStorage (gone when the tab closes).
 */
const KEY_SLOT = 'facematch.console.key';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

let apiKey: string | null = sessionStorage.getItem(KEY_SLOT);

export const session = {
  key: () => apiKey,
  signIn(key: string) {
    apiKey = key;
    sessionStorage.setItem(KEY_SLOT, key);
  },
  signOut() {
    apiKey = null;
    sessionStorage.removeItem(KEY_SLOT);
  },
};

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = unknown>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.auth !== false && apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), credentials: 'omit', cache: 'no-store' });
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const b = body as { success?: boolean; status?: string; code?: string; message?: string } | null;
  const failed = !res.ok || b?.success === false || b?.status === 'ERROR';
  if (failed) throw new ApiFailure(res.status, b?.code ?? `HTTP_${res.status}`, b?.message ?? res.statusText, body);
  return { status: res.status, body: body as T, headers: res.headers };
}
