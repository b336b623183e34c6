/**
 * What one request did, as seen by the user (DESIGN.md): executors emit these, everything else
 * (metrics, checkers, progress, the journal) consumes them. Times are milliseconds on the run's
 * monotonic clock (performance.now() minus the run's start).
 */
export type Outcome = 'ok' | 'fail' | 'info';

/** Error codes of our own, beside undici's err.code values (ECONNREFUSED, UND_ERR_SOCKET, ...). */
export const ErrorCodes = {
  /** Not sent: the in-flight cap was reached (the generator or the target could not keep up). */
  dropped: 'DROPPED',
  /** No answer within the request deadline. */
  timeout: 'TIMEOUT',
} as const;

export interface Sample {
  /** Which request of the workload, e.g. "GET /products/:id". */
  request: string;
  /** When the schedule said to send it; latency counts from here (coordinated-omission-correct). */
  intendedAt: number;
  /** When it was actually sent (undefined if dropped). */
  sentAt?: number;
  /**
   * When the generator could first send it, where that is later than intendedAt: a session user's
   * step waits for the user's own previous answer. That wait is latency (it counts from intendedAt),
   * but not the generator falling behind: send lag is sentAt - max(intendedAt, readyAt).
   */
  readyAt?: number;
  doneAt: number;
  outcome: Outcome;
  status?: number;
  error?: string;
  servedBy?: string;
  readFrom?: string;
  /** The database node that committed a write, from the x-written-to header (the ledger contract). */
  writtenTo?: string;
  cache?: string;
  version?: number;
  /** The response's ETag (static files: which version of the asset was served). */
  etag?: string;
  sessionId?: string;
  /** Workload-specific facts a checker needs (e.g. the version a write acknowledged). */
  detail?: Record<string, string | number | boolean>;
}

export function latencyMs(sample: Sample): number | undefined {
  return sample.sentAt === undefined ? undefined : sample.doneAt - sample.intendedAt;
}

export function serviceTimeMs(sample: Sample): number | undefined {
  return sample.sentAt === undefined ? undefined : sample.doneAt - sample.sentAt;
}
