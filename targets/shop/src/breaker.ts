/**
 * A minimal circuit breaker per backend node. Without it, every request routed to a frozen node would
 * wait out the full timeout; with it, only one trial request per cooldown does, the others skip the
 * node at once. A success closes it again, which is how a returning node is picked up. Only slow failures
 * (timeouts) open it: a refused connection already fails fast, and skipping would only delay recovery.
 */
import { TimeoutError } from './timeout.ts';

export class Breaker {
  private openUntil = 0;

  constructor(
    private readonly cooldownMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a call may go to the node: closed, or the one trial call after each cooldown. */
  allow(): boolean {
    if (this.openUntil === 0) return true;
    const t = this.now();
    if (t < this.openUntil) return false;
    this.openUntil = t + this.cooldownMs; // let one trial through; others wait for its outcome
    return true;
  }

  get open(): boolean {
    return this.openUntil !== 0;
  }

  success(): void {
    this.openUntil = 0;
  }

  failure(): void {
    this.openUntil = this.now() + this.cooldownMs;
  }

  /** Records a call's failure; only slow failures open the breaker, since fast ones cost nothing. */
  failed(err: unknown): void {
    if (isSlowFailure(err)) this.failure();
    else this.success();
  }
}

/** A timeout of ours or of a client library (pg: "timeout expired", "Query read timeout"). */
export function isSlowFailure(err: unknown): boolean {
  return err instanceof TimeoutError || /time ?out/i.test((err as Error)?.message ?? '');
}
