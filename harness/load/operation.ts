/**
 * One arrival of the schedule, run by a workload: it may send several dependent requests (a write
 * then its read-back); each becomes a Sample on the bus. The first request's intended time is the
 * scheduled one; a dependent request is intended to start when the previous one finished.
 */
import type { Clock } from '../core/clock.ts';
import { ErrorCodes, type Outcome, type Sample } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';
import type { CookieJar } from './cookie-jar.ts';
import type { HttpClient, HttpRequest } from './http-client.ts';

export interface Targets {
  /** The site through the load balancer. */
  lb: string;
  /** The CDN edge (static files). */
  cdn: string;
}

export interface RequestPlan extends HttpRequest {
  /** Stable name for grouping, e.g. "GET /products/:id". */
  name: string;
  target: keyof Targets;
  /** Facts to attach to the sample for checkers. */
  detail?: Sample['detail'];
  /** Which statuses are ok for this request (the http workload's `expect`); otherwise below 400. */
  expect?: (status: number) => boolean;
}

export interface Reply {
  sample: Sample;
  body: string;
}

export interface OperationDeps {
  client: HttpClient;
  targets: Targets;
  bus: SampleBus;
  clock: Clock;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * ok below 400 (or the statuses the request expects); other statuses and network errors fail; a
 * timeout is info (unknown: it may have happened).
 */
function outcomeOf(
  status: number | undefined,
  error: string | undefined,
  expect: RequestPlan['expect'],
): Outcome {
  if (error === ErrorCodes.timeout) return 'info';
  if (error !== undefined || status === undefined) return 'fail';
  const ok = expect ? expect(status) : status < 400;
  return ok ? 'ok' : 'fail';
}

export class Operation {
  private nextIntendedAt: number;

  private readyAt: number | undefined;

  /** `readyAt`: when the generator could first send it, if later than `intendedAt` (see Sample). */
  constructor(
    private readonly deps: OperationDeps,
    intendedAt: number,
    readonly jar: CookieJar,
    readyAt?: number,
  ) {
    this.nextIntendedAt = intendedAt;
    if (readyAt !== undefined && readyAt > intendedAt) this.readyAt = readyAt;
  }

  async send(plan: RequestPlan): Promise<Reply> {
    const { client, targets, bus, clock } = this.deps;
    const intendedAt = this.nextIntendedAt;
    const cookie = this.jar.header();
    const headers = { ...plan.headers, ...(cookie ? { cookie } : {}) };
    const sentAt = clock.now();
    const result = await client.send(targets[plan.target], {
      method: plan.method,
      path: plan.path,
      headers,
      body: plan.body,
    });
    const doneAt = clock.now();
    this.nextIntendedAt = doneAt;
    const readyAt = this.readyAt;
    this.readyAt = undefined; // a dependent request is intended when the previous one is done
    const sample: Sample = {
      request: plan.name,
      intendedAt,
      sentAt,
      doneAt,
      outcome: 'fail',
      sessionId: this.jar.userId,
    };
    if (readyAt !== undefined) sample.readyAt = readyAt;
    if (plan.detail) sample.detail = plan.detail;
    let body = '';
    if (result.ok) {
      this.jar.store(result.headers['set-cookie']);
      sample.status = result.status;
      sample.servedBy = header(result.headers, 'x-served-by');
      sample.readFrom = header(result.headers, 'x-read-from');
      sample.writtenTo = header(result.headers, 'x-written-to');
      sample.cache = header(result.headers, 'x-cache');
      sample.etag = header(result.headers, 'etag');
      const version = header(result.headers, 'x-version');
      if (version !== undefined) sample.version = Number(version);
      body = result.body;
    } else {
      sample.error = result.error;
    }
    sample.outcome = outcomeOf(sample.status, sample.error, plan.expect);
    bus.emit(sample);
    return { sample, body };
  }
}
