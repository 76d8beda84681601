/**
 * Node HTTP server options against slow clients: a connection that has not sent its headers within
 * `headersTimeoutMs`, or its whole request within `requestTimeoutMs`, is answered 408 and closed, so
 * idle sockets (slow-loris) cannot pile up. Node checks the deadlines every
 * `connectionsCheckingInterval`, which defaults to 30 s; it is tightened so the limits hold.
 */
import type { ServerOptions } from 'node:http';

export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export function httpServerOptions(timeouts: HttpTimeouts): ServerOptions {
  if (timeouts.requestTimeoutMs < timeouts.headersTimeoutMs) {
    throw new Error('the request timeout must be at least the headers timeout');
  }
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 4))),
  };
}
