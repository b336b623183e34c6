/** Keeps the last lines a process printed, for error messages and `logs()`. */
export class LogBuffer {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly watchers = new Set<(line: string) => void>();

  constructor(private readonly limit = 500) {}

  write(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.push(line);
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
    for (const watch of this.watchers) watch(line);
  }

  /** Resolves with the first line from now on that matches (readiness messages and the like). */
  waitFor(pattern: RegExp, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const watch = (line: string) => {
        if (!pattern.test(line)) return;
        done();
        resolve(line);
      };
      const abort = () => {
        done();
        reject(new Error(`no log line matching ${pattern}`));
      };
      const done = () => {
        this.watchers.delete(watch);
        signal.removeEventListener('abort', abort);
      };
      if (signal.aborted) return abort();
      this.watchers.add(watch);
      signal.addEventListener('abort', abort);
    });
  }

  tail(count = 10): string[] {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-count);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    yield* this.tail(this.limit);
  }
}
