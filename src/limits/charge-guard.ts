/**
 * The per-request deadline must never split a charge from its answer. A request's ledger goes
 * through this guard: once a charged entry starts to be written the request is committed and runs to
 * its answer even past the deadline; once the deadline has expired the request, a charged write is
 * refused, so a caller who got 503 is never billed for a result it did not receive.
 */
import type { UsageLedger } from '../billing/ledger.ts';
import { isCharged } from '../policy/charges.ts';
import { override } from '../lib/override.ts';

export class DeadlineExpiredError extends Error {
  constructor() {
    super('the request deadline expired before its result was recorded');
    this.name = 'DeadlineExpiredError';
  }
}

export class ChargeGuard {
  private state: 'open' | 'committed' | 'expired' = 'open';

  /** Mark the deadline as passed; false when a charge is already being written (let it finish). */
  expire(): boolean {
    if (this.state === 'committed') return false;
    this.state = 'expired';
    return true;
  }

  /** The ledger seen by this request: every member delegates, `record` goes through the guard. */
  wrap<L extends UsageLedger>(ledger: L): L {
    const record: UsageLedger['record'] = (entry) => {
      if (entry.charged ?? isCharged(entry.endpoint, entry.result)) {
        if (this.state === 'expired') return Promise.reject(new DeadlineExpiredError());
        this.state = 'committed';
      }
      return ledger.record(entry);
    };
    return override(ledger, { record } as Partial<L>);
  }
}
