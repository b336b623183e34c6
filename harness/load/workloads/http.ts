/**
 * Load through any web app: requests as the experiment writes them (method, path, body, headers),
 * either one of several picked by weight per arrival, or a journey of steps run in order with the
 * arrival's cookies. `{key}` in a path or body is a Zipf-popular key, the shop's product model.
 */
import { z } from 'zod';
import type { Random } from '../../core/random.ts';
import type { Operation, RequestPlan } from '../operation.ts';
import { productPopularity, zipf } from '../zipf.ts';
import { defineWorkload } from './workload.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

/** The one placeholder: a key drawn per arrival. */
const KEY = '{key}';
/** The most keys one request may draw from: its Zipf table is 8 bytes a key. */
export const MAX_KEYS = 1_000_000;

const path = z
  .string()
  .startsWith('/', { message: 'must start with /' })
  .superRefine((value, ctx) => {
    const other = value.match(/\{[^{}]*\}/g)?.find((p) => p !== KEY);
    if (other) ctx.addIssue({ code: 'custom', message: `unknown placeholder ${other} (only ${KEY})` });
  });

/** 404, or a class of statuses: "2xx". */
const STATUS = 'must be a status (100 to 599) or a class like "2xx"';
const expected = z.union(
  [
    z.number().int({ message: STATUS }).min(100, { message: STATUS }).max(599, { message: STATUS }),
    z.string().regex(/^[1-5]xx$/, { message: STATUS }),
  ],
  { error: STATUS },
);

const step = z
  .object({
    method: z.enum(HTTP_METHODS).default('GET'),
    path,
    /** `{key}` is drawn from 1..keys, Zipf-popular. */
    keys: z
      .number()
      .int()
      .min(1, { message: 'must be at least 1' })
      .max(MAX_KEYS, { message: `must be at most ${MAX_KEYS}` })
      .default(1000),
    body: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    expect: z.array(expected).min(1, { message: 'must list at least one status' }).optional(),
    name: z.string().min(1).optional(),
    target: z.enum(['lb', 'cdn']).default('lb'),
  })
  .strict();

/** One request of `requests`: a journey step with the weight it is picked by. */
export const httpRequest = step
  .extend({ weight: z.number().positive({ message: 'must be more than 0' }).default(1) })
  .strict();

export type HttpRequestInput = z.input<typeof httpRequest>;
type Step = z.output<typeof step>;

const options = z
  .object({
    requests: z
      .array(httpRequest)
      .min(1, { message: 'must list at least one request' })
      .optional()
      .describe(
        'each arrival sends one, picked by weight: { path, method=GET, weight=1, keys=1000 ({key} is 1..keys), body (JSON unless headers say), headers, expect (ok statuses, e.g. [404, "2xx"]; default 2xx and 3xx), name (default "METHOD path" as written), target=lb|cdn }',
      ),
    journey: z
      .array(step)
      .min(1, { message: 'must list at least one step' })
      .optional()
      .describe(
        'each arrival runs every step in order, cookies carried over, one {key} for all steps; steps as in requests, without weight',
      ),
    zipfExponent: productPopularity.shape.zipfExponent.describe(
      'skew of {key}: 1 = key 1 twice as popular as key 2, 0 = uniform',
    ),
  })
  .strict()
  .superRefine((o, ctx) => {
    const kinds = '"requests" (one picked by weight per arrival) or "journey" (steps run in order)';
    if (o.requests === undefined && o.journey === undefined) {
      ctx.addIssue({ code: 'custom', message: `needs ${kinds}` });
    } else if (o.requests !== undefined && o.journey !== undefined) {
      ctx.addIssue({ code: 'custom', message: `give either ${kinds}, not both` });
    }
    // A journey draws one key per arrival for all its steps (write it, then read it back).
    const keyed = (o.journey ?? []).filter(usesKey);
    if (keyed.some((s) => s.keys !== keyed[0]?.keys)) {
      ctx.addIssue({
        code: 'custom',
        path: ['journey'],
        message: `its steps share one {key} per arrival: give every step that uses {key} the same keys`,
      });
    }
  });

function usesKey(s: Step): boolean {
  return s.path.includes(KEY) || (s.body?.includes(KEY) ?? false);
}

function statusCheck(expect: Step['expect']): ((status: number) => boolean) | undefined {
  if (!expect) return undefined; // the Operation's own rule: below 400
  const statuses = new Set(expect.filter((e) => typeof e === 'number'));
  const classes = new Set(expect.filter((e) => typeof e === 'string').map((c) => Number(c[0])));
  return (status) => statuses.has(status) || classes.has(Math.floor(status / 100));
}

/** A step made ready to send: its fixed parts computed once, `{key}` filled per send. */
interface Prepared {
  usesKey: boolean;
  keys: number;
  send(op: Operation, key: number): Promise<unknown>;
}

function prepare(s: Step): Prepared {
  const pathParts = s.path.split(KEY);
  const bodyParts = s.body?.split(KEY);
  const headers = { ...s.headers };
  // A body with no content type would be refused by most JSON APIs (Fastify: 415).
  if (s.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const plan: RequestPlan = {
    name: s.name ?? `${s.method} ${s.path}`,
    target: s.target,
    method: s.method,
    path: s.path,
    headers,
  };
  const expect = statusCheck(s.expect);
  if (expect) plan.expect = expect;
  return {
    usesKey: usesKey(s),
    keys: s.keys,
    send: (op, key) => {
      const k = String(key);
      const sent = { ...plan, path: pathParts.length > 1 ? pathParts.join(k) : s.path };
      if (bodyParts) sent.body = bodyParts.length > 1 ? bodyParts.join(k) : s.body;
      return op.send(sent);
    },
  };
}

/** One Zipf picker per distinct `keys` (its table is built once); 0 where nothing uses `{key}`. */
function keyPickers(steps: Prepared[], exponent: number, random: Random): (() => number)[] {
  const byKeys = new Map<number, () => number>();
  return steps.map((s) => {
    if (!s.usesKey) return () => 0;
    const pick = byKeys.get(s.keys) ?? zipf(s.keys, exponent, random);
    byKeys.set(s.keys, pick);
    return pick;
  });
}

/** Picks an index by weight, from one draw of `random`. */
function byWeight(weights: number[], random: Random): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cumulative.push(total);
  }
  return () => {
    const u = random() * total;
    const i = cumulative.findIndex((c) => u < c);
    return i === -1 ? cumulative.length - 1 : i;
  };
}

export const http = defineWorkload({
  name: 'http',
  description:
    'any web app: each arrival sends one of `requests` picked by weight, or runs the `journey`’s steps in order with its cookies; {key} in a path or body is a Zipf-popular key',
  options,
  create: (o, random) => {
    if (o.journey) {
      const steps = o.journey.map(prepare);
      const keyed = steps.find((s) => s.usesKey);
      const pick = keyed ? zipf(keyed.keys, o.zipfExponent, random) : () => 0;
      return {
        name: 'http',
        run: async (op) => {
          const key = pick(); // one key for the whole journey
          // Every step runs, whatever the previous one got: a lost session shows in the steps after it.
          for (const s of steps) await s.send(op, key);
        },
      };
    }
    const requests = (o.requests ?? []).map(prepare);
    const keys = keyPickers(requests, o.zipfExponent, random);
    const choose = byWeight(
      (o.requests ?? []).map((r) => r.weight),
      random,
    );
    return {
      name: 'http',
      run: async (op) => {
        const i = choose();
        await (requests[i] as Prepared).send(op, (keys[i] as () => number)());
      },
    };
  },
});
