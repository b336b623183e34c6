/**
 * HTTP for the generator: one undici Pool per origin with an explicit connection cap and keep-alive,
 * bodies always consumed, a per-request deadline of our own (undici's own long timers are coarse).
 * No retry or cache interceptors: they would hide the faults we measure.
 */
import { Pool } from 'undici';
import { ErrorCodes } from '../samples/sample.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Keep the response body (otherwise it is read and discarded). */
  readBody?: boolean;
}

export type HttpResult =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { ok: false; error: string };

export interface HttpClientOptions {
  connections: number;
  timeoutMs: number;
}

export class HttpClient {
  private readonly pools = new Map<string, Pool>();
  private readonly deadlines: Deadlines;

  constructor(private readonly options: HttpClientOptions) {
    this.deadlines = new Deadlines(options.timeoutMs);
  }

  async send(origin: string, request: HttpRequest): Promise<HttpResult> {
    const controller = this.deadlines.start();
    const { signal } = controller;
    try {
      const response = await this.pool(origin).request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal,
      });
      // Bodies are always consumed (so the connection is reused); kept only when the workload reads them.
      let body = '';
      if (request.readBody) body = await response.body.text();
      else await response.body.dump();
      return { ok: true, status: response.statusCode, headers: response.headers, body };
    } catch (err) {
      return { ok: false, error: errorCode(err, signal) };
    } finally {
      this.deadlines.end(controller);
    }
  }

  async close(): Promise<void> {
    this.deadlines.clear();
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()));
    this.pools.clear();
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connections,
        pipelining: 1,
        keepAliveTimeout: 10_000,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/**
 * Per-request deadlines with one timer. Every request has the same timeout, so deadlines come in
 * the order requests start: the pending ones sit in an insertion-ordered Map and one timer waits for
 * the earliest. (AbortSignal.timeout() would be a timer per request, alive for the whole timeout
 * even after the answer: at 5k req/s, 25,000 live timers promoted to the old generation, and
 * scavenges of 5–15 ms that showed up as send lag.)
 */
class Deadlines {
  private readonly pending = new Map<AbortController, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  start(): AbortController {
    const controller = new AbortController();
    this.pending.set(controller, performance.now() + this.timeoutMs);
    if (!this.timer) this.arm(this.timeoutMs);
    return controller;
  }

  end(controller: AbortController): void {
    this.pending.delete(controller);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly expire = () => {
    this.timer = undefined;
    const now = performance.now();
    for (const [controller, deadline] of this.pending) {
      if (deadline > now) return this.arm(deadline - now);
      this.pending.delete(controller);
      controller.abort();
    }
  };

  private arm(ms: number): void {
    this.timer = setTimeout(this.expire, ms).unref();
  }
}

/** undici's err.code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, ...), or TIMEOUT for our deadline. */
function errorCode(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return ErrorCodes.timeout;
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return e.code ?? e.cause?.code ?? e.name ?? 'UNKNOWN';
}
