import assert from 'node:assert/strict';
import { FaultlineError } from '../core/errors.ts';
import { createFault, faultKinds, faultParams } from './registry.ts';

function usage(fn: () => unknown): FaultlineError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FaultlineError, `a FaultlineError, got ${err}`);
    assert.equal(err.exitCode, 2, 'a usage error (exit 2)');
    return err;
  }
  assert.fail('expected a usage error');
}

describe('fault registry', () => {
  it('knows every fault kind, each with a description', () => {
    assert.deepEqual([...faultKinds.keys()].sort(), [
      'asset-change',
      'cache-flush',
      'cache-master-kill',
      'cache-node-loss',
      'cdn-origin-outage',
      'lb-backend-death',
      'link-bandwidth',
      'link-down',
      'link-latency',
      'link-reset-peer',
      'link-timeout',
      'primary-kill',
      'primary-partition',
      'replica-lag',
      'service-kill',
      'service-pause',
      'service-restart',
      'session-loss',
      'writes-behind-cache',
    ]);
    for (const kind of faultKinds.values()) assert.ok(kind.description.length > 10, kind.kind);
  });

  it('applies defaults and parses durations', () => {
    assert.deepEqual(faultParams({ kind: 'replica-lag' }), { latency: 1000, jitter: 0 });
    assert.deepEqual(faultParams({ kind: 'replica-lag', latency: '2s', jitter: '250ms' }), {
      latency: 2000,
      jitter: 250,
    });
    assert.deepEqual(faultParams({ kind: 'lb-backend-death' }), { server: 'web-2', signal: 'SIGKILL' });
    assert.deepEqual(faultParams({ kind: 'cache-node-loss' }), { node: 'cache-1' });
    assert.deepEqual(faultParams({ kind: 'asset-change' }), { asset: 'app.css', invalidate: 'none' });
    assert.deepEqual(faultParams({ kind: 'link-latency', link: 'web-1->pg-primary', latency: '300ms' }), {
      link: 'web-1->pg-primary',
      latency: 300,
      jitter: 0,
      stream: 'downstream',
    });
    assert.deepEqual(faultParams({ kind: 'service-kill', service: 'cache-2' }), {
      service: 'cache-2',
      signal: 'SIGKILL',
    });
  });

  it('makes faults with stable ids', () => {
    assert.equal(createFault({ kind: 'lb-backend-death', server: 'web-3' }).id, 'lb-backend-death:web-3');
    assert.equal(createFault({ kind: 'session-loss' }).id, 'session-loss:web-2');
    assert.equal(createFault({ kind: 'session-loss' }).kind, 'session-loss');
    assert.equal(createFault({ kind: 'link-down', link: 'cdn->lb' }).id, 'link-down:cdn->lb');
    assert.equal(createFault({ kind: 'replica-lag' }).id, 'replica-lag:all');
    assert.equal(
      createFault({ kind: 'replica-lag', replicas: ['pg-replica-1', 'pg-replica-2'] }).id,
      'replica-lag:pg-replica-1+pg-replica-2',
    );
    assert.equal(createFault({ kind: 'cdn-origin-outage' }).id, 'cdn-origin-outage:cdn->lb');
  });

  it('lists every invalid parameter at once, with its path', () => {
    const err = usage(() =>
      createFault({
        kind: 'replica-lag',
        replicas: ['pg-replica-1', 'db-9'],
        latency: 'soon',
        jitter: -5,
        extra: 1,
      }),
    );
    assert.equal(err.code, 'fault.params');
    assert.match(err.message, /^invalid replica-lag fault: /);
    assert.match(err.message, /replicas\.1: must name a replica/);
    assert.match(err.message, /latency: duration "soon" is not a duration/);
    assert.match(err.message, /jitter: .*not a duration/);
    assert.match(err.message, /\(root\): Unrecognized key: "extra"/);
  });

  it('names missing required parameters and bad enums', () => {
    const err = usage(() => createFault({ kind: 'link-latency', stream: 'sideways' }));
    assert.match(err.message, /link: /);
    assert.match(err.message, /stream: /);
    assert.match(
      usage(() => createFault({ kind: 'lb-backend-death', server: 'cache-1', signal: 'SIGHUP' })).message,
      /server: must name a web server.*signal: /,
    );
  });

  it('rejects an unknown kind, listing the known ones', () => {
    const err = usage(() => createFault({ kind: 'meteor-strike' }));
    assert.equal(err.code, 'fault.kind');
    assert.match(err.message, /unknown fault kind "meteor-strike"/);
    for (const kind of faultKinds.keys()) assert.ok(err.hint.includes(kind), `hint lists ${kind}`);
  });

  it('rejects a spec without a kind', () => {
    assert.match(usage(() => createFault({} as never)).message, /needs a "kind"/);
  });
});
