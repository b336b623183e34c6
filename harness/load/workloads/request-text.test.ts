import assert from 'node:assert/strict';
import { FaultlineError } from '../../core/errors.ts';
import { loadSchema } from '../load-spec.ts';
import { parseRequestText } from './request-text.ts';

const EXAMPLE = `e.g. "GET /items/{key} weight=3 keys=500" or 'POST /orders body={"item": {key}}'`;

/** The one line a user reads for a bad text, with its exit code. */
function refusal(text: string): string {
  try {
    parseRequestText(text);
  } catch (err) {
    assert.ok(err instanceof FaultlineError);
    assert.equal(err.exitCode, 2);
    assert.equal(err.hint, EXAMPLE);
    return err.message;
  }
  assert.fail(`"${text}" was accepted`);
}

describe('request text (--app-request)', () => {
  it('reads METHOD PATH, then weight= and keys= in any order, then body= to the end of the line', () => {
    assert.deepEqual(parseRequestText('GET /items/{key}'), { method: 'GET', path: '/items/{key}' });
    assert.deepEqual(parseRequestText('  delete   /items/old  keys=20 weight=0.5 '), {
      method: 'DELETE',
      path: '/items/old',
      keys: 20,
      weight: 0.5,
    });
    assert.deepEqual(parseRequestText('POST /orders weight=2 body={"item": {key}, "note": "a  b"}'), {
      method: 'POST',
      path: '/orders',
      weight: 2,
      body: '{"item": {key}, "note": "a  b"}',
    });
    assert.deepEqual(parseRequestText('PUT /flag body='), { method: 'PUT', path: '/flag', body: '' });
  });

  it('sends a request to the CDN edge with to=cdn (static files), to the load balancer by default', () => {
    assert.deepEqual(parseRequestText('GET /static/app.css to=cdn'), {
      method: 'GET',
      path: '/static/app.css',
      target: 'cdn',
    });
    assert.equal(
      refusal('GET /a to=origin'),
      '--app-request "GET /a to=origin": to must be lb or cdn, not "origin"',
    );
    assert.equal(refusal('GET /a to=cdn to=lb'), '--app-request "GET /a to=cdn to=lb": to given twice');
  });

  it('gives a request the http workload takes as it is', () => {
    const requests = ['GET /items/{key} keys=50', 'POST /orders weight=3 body={"item": {key}}'].map(
      parseRequestText,
    );
    const spec = loadSchema.parse({
      executor: { executor: 'constant-arrival-rate', rate: 1, duration: 1 },
      workload: { workload: 'http', requests },
    });
    assert.deepEqual(spec.workload.requests, [
      { method: 'GET', path: '/items/{key}', keys: 50, weight: 1, target: 'lb' },
      { method: 'POST', path: '/orders', keys: 1000, weight: 3, body: '{"item": {key}}', target: 'lb' },
    ]);
  });

  it('says in one line what is wrong with a text, with an example of the right form', () => {
    assert.equal(refusal(''), '--app-request "": needs a method and a path');
    assert.equal(refusal('/items'), '--app-request "/items": needs a method before the path');
    assert.equal(
      refusal('FETCH /items'),
      '--app-request "FETCH /items": unknown method "FETCH" (methods: GET, POST, PUT, PATCH, DELETE, HEAD)',
    );
    assert.equal(refusal('GET'), '--app-request "GET": needs a path after the method');
    assert.equal(refusal('GET items'), '--app-request "GET items": the path "items" must start with /');
    assert.equal(
      refusal('GET /items wieght=2'),
      '--app-request "GET /items wieght=2": unknown option "wieght=2" (options: weight=N, keys=N, to=lb|cdn, body=<rest of the line>)',
    );
    assert.equal(
      refusal('GET /items extra'),
      '--app-request "GET /items extra": unknown option "extra" (options: weight=N, keys=N, to=lb|cdn, body=<rest of the line>)',
    );
    assert.equal(
      refusal('GET /items weight=0'),
      '--app-request "GET /items weight=0": weight must be a positive number, not "0"',
    );
    assert.equal(
      refusal('GET /items weight='),
      '--app-request "GET /items weight=": weight must be a positive number, not ""',
    );
    assert.equal(
      refusal('GET /items keys=1.5'),
      '--app-request "GET /items keys=1.5": keys must be a whole number from 1 to 1000000, not "1.5"',
    );
    assert.equal(
      refusal('GET /items weight=1 weight=2'),
      '--app-request "GET /items weight=1 weight=2": weight given twice',
    );
    assert.equal(
      refusal('GET /items/{id}'),
      '--app-request "GET /items/{id}": path: unknown placeholder {id} (only {key})',
    );
  });
});
