/** Bounds a promise in time, so a frozen peer (SIGSTOP, blackholed link) costs a timeout, not a hang. */

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Rejects with TimeoutError after `ms`; the work itself goes on and its late outcome is ignored. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  work.catch(() => undefined); // a late rejection after the deadline must not become unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
