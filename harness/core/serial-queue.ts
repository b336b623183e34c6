/**
 * Runs async tasks one at a time, in arrival order. Used where the real system holds a lock across
 * an await (e.g. a proxy starting its listener) so concurrent API calls cannot interleave.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
