/**
 * Graceful shutdown: stop accepting (the listening socket closes, new and queued requests get 503),
 * let admitted requests finish within a deadline, then close the collaborators in order (ledger
 * last among writers, so a charge in flight is written whole before its file or pool closes).
 */
import type { Logger } from '../logging/logger.ts';
import type { AdmissionControl } from './admission.ts';

export interface Closable {
  name: string;
  close(): Promise<void> | void;
}

export interface ShutdownDeps {
  server: { close(callback?: (err?: Error) => void): unknown; closeIdleConnections?(): void };
  admission?: AdmissionControl;
  /** How long admitted requests may take to finish, ms. */
  deadlineMs: number;
  /** Closed in this order once requests are done (or the deadline passed). */
  closers: Closable[];
  logger: Logger;
}

/** Returns the handler for a signal; a second signal while stopping is ignored. Resolves with the exit code. */
export function createShutdown(deps: ShutdownDeps): (signal: string) => Promise<number> {
  let stopping: Promise<number> | undefined;
  const run = async (signal: string): Promise<number> => {
    const { logger, admission } = deps;
    logger.info('shutting down', { signal, in_flight: admission?.stats.active ?? 0, deadline_ms: deps.deadlineMs });
    admission?.drain();
    const closed = new Promise<void>((resolve) => deps.server.close(() => resolve()));
    // Keep-alive connections fall idle once their request is answered: close them as they do, so the
    // listener does not wait for the clients' keep-alive timeouts.
    deps.server.closeIdleConnections?.();
    const sweeper = setInterval(() => deps.server.closeIdleConnections?.(), 50);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deps.deadlineMs)));
    const finished = await Promise.race([Promise.all([admission?.idle(), closed]).then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    clearInterval(sweeper);
    if (finished === 'timeout') logger.warn('shutdown deadline reached with requests in flight', { in_flight: admission?.stats.active ?? 0 });
    let code = finished === 'timeout' ? 1 : 0;
    for (const c of deps.closers) {
      try {
        await c.close();
      } catch (err) {
        code = 1;
        logger.error('close failed during shutdown', { component: c.name, error: (err as Error).message });
      }
    }
    logger.info('stopped', { exit_code: code });
    return code;
  };
  return (signal) => (stopping ??= run(signal));
}
