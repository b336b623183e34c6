/**
 * HTTP for the generator: one undici Pool per origin with an explicit connection cap and keep-alive,
 * bodies always consumed, a per-request deadline of our own (undici's own long timers are coarse).
 * No retry or cache interceptors: they would hide the faults we measure.
 *
 * Requests go through undici's dispatch API with a small handler rather than `request()`, so a
 * request allocates no response stream, AbortSignal or extra promises. At thousands of requests per
 * second that garbage, and AbortSignal.timeout's timers (alive for the whole timeout), got promoted
 * out of the young generation: scavenges of 5–15 ms that showed up as send lag.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, Pool } from 'undici';
import { ErrorCodes } from '../samples/sample.ts';

const WARM_DEADLINE_MS = 2000;

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
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

  constructor(private readonly options: HttpClientOptions) {}

  send(origin: string, request: HttpRequest): Promise<HttpResult> {
    return new Promise((resolve) => {
      const exchange = new Exchange(this.options.timeoutMs, request.readBody === true, resolve);
      const { method, path, headers, body } = request;
      this.pool(origin).dispatch({ method, path, headers, body }, exchange);
    });
  }

  /**
   * Opens every connection of each origin's pool before the schedule starts, so the first arrivals
   * do not wait for TCP handshakes (start-up used to dominate send lag p99 of short runs: ~5 ms vs
   * under 1 ms with the connections open). One OPTIONS / per connection (no side effects; undici
   * closes the connection after a HEAD): any answer leaves a keep-alive connection behind. Nothing is
   * recorded; a target that does not answer costs at most `deadlineMs`.
   */
  async warm(origins: string[], deadlineMs = WARM_DEADLINE_MS): Promise<void> {
    const opening = [...new Set(origins)].flatMap((origin) =>
      Array.from({ length: this.options.connections }, () =>
        this.send(origin, { method: 'OPTIONS', path: '/' }),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([Promise.all(opening), deadline]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()));
    this.pools.clear();
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      // undici's own headers/body timeouts are off: our deadline covers the whole request, and
      // theirs cost a coarse timer object per request that lingers ~0.5 s (GC pressure at high rates).
      pool = new Pool(origin, {
        connections: this.options.connections,
        pipelining: 1,
        keepAliveTimeout: 10_000,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/**
 * One request's life in undici: collects the status, headers and (when kept) the body, and settles
 * once. Its deadline is a plain timer, cleared when it settles (AbortSignal.timeout's timer would
 * stay alive for the whole timeout). A deadline that passes while the request still waits for a
 * connection aborts it as soon as it gets one, as `request()` with an AbortSignal does.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private readonly deadline: NodeJS.Timeout;
  private controller: Dispatcher.DispatchController | undefined;
  private timedOut = false;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];

  constructor(
    timeoutMs: number,
    private readonly keepBody: boolean,
    private readonly settle: (result: HttpResult) => void,
  ) {
    this.deadline = setTimeout(expire, timeoutMs, this);
  }

  timeout(): void {
    this.timedOut = true;
    this.controller?.abort(new Error('deadline passed'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.timedOut) controller.abort(new Error('deadline passed'));
  }

  onResponseStart(_: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.headers = headers;
  }

  onResponseData(_: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.keepBody) this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const body = this.keepBody ? Buffer.concat(this.chunks).toString('utf8') : '';
    this.finish({ ok: true, status: this.status, headers: this.headers, body });
  }

  onResponseError(_: Dispatcher.DispatchController, err: Error): void {
    this.finish({ ok: false, error: this.timedOut ? ErrorCodes.timeout : errorCode(err) });
  }

  private finish(result: HttpResult): void {
    clearTimeout(this.deadline);
    this.settle(result);
  }
}

const expire = (exchange: Exchange) => exchange.timeout();

/** undici's err.code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, ...). */
function errorCode(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return e.code ?? e.cause?.code ?? e.name ?? 'UNKNOWN';
}
