/**
 * The one-line form of an http workload request, as `--app-request` takes it:
 * `METHOD PATH [weight=N] [keys=N] [to=lb|cdn] [body=<rest of the line>]` (to=cdn sends it to the
 * CDN edge, for static files; default the load balancer), e.g. "GET /items/{key} weight=3" or
 * 'POST /orders body={"item": {key}}'. The body is last and runs to the end of the line, spaces and
 * all; the method may be in any case. The result is checked by the http workload's own schema.
 */
import { usageError } from '../../core/errors.ts';
import { HTTP_METHODS, type HttpRequestInput, httpRequest, MAX_KEYS } from './http.ts';

const EXAMPLE = `e.g. "GET /items/{key} weight=3 keys=500" or 'POST /orders body={"item": {key}}'`;
const OPTIONS = 'options: weight=N, keys=N, to=lb|cdn, body=<rest of the line>';

/** `text` as one request of the http workload (only the fields it gives); a usage error says what is wrong. */
export function parseRequestText(text: string): HttpRequestInput {
  const fail = (problem: string) =>
    usageError('load.request', `--app-request "${text}": ${problem}`, EXAMPLE);
  const bodyAt = text.search(/(^|\s)body=/);
  const head = bodyAt === -1 ? text : text.slice(0, bodyAt);
  const [method, path, ...options] = head.trim().split(/\s+/).filter(Boolean);
  if (method === undefined) throw fail('needs a method and a path');
  if (method.startsWith('/')) throw fail('needs a method before the path');
  const upper = method.toUpperCase();
  const known = HTTP_METHODS.find((m) => m === upper);
  if (!known) throw fail(`unknown method "${method}" (methods: ${HTTP_METHODS.join(', ')})`);
  if (path === undefined) throw fail('needs a path after the method');
  if (!path.startsWith('/')) throw fail(`the path "${path}" must start with /`);

  const request: HttpRequestInput = { method: known, path };
  for (const option of options) {
    const [, name, value = ''] = option.match(/^([^=]*)=(.*)$/) ?? [];
    if (name === 'to') {
      if (request.target !== undefined) throw fail('to given twice');
      if (value !== 'lb' && value !== 'cdn') throw fail(`to must be lb or cdn, not "${value}"`);
      request.target = value;
      continue;
    }
    if (name !== 'weight' && name !== 'keys') throw fail(`unknown option "${option}" (${OPTIONS})`);
    if (request[name] !== undefined) throw fail(`${name} given twice`);
    const n = Number(value);
    if (name === 'weight' && !(value !== '' && Number.isFinite(n) && n > 0)) {
      throw fail(`weight must be a positive number, not "${value}"`);
    }
    if (name === 'keys' && !(value !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_KEYS)) {
      throw fail(`keys must be a whole number from 1 to ${MAX_KEYS}, not "${value}"`);
    }
    request[name] = n;
  }
  if (bodyAt !== -1) request.body = text.slice(text.indexOf('body=', bodyAt) + 'body='.length);

  // What the schema checks beyond the syntax (a placeholder other than {key}).
  const issue = httpRequest.safeParse(request).error?.issues[0];
  if (issue) throw fail(`${issue.path.join('.')}: ${issue.message}`);
  return request;
}
