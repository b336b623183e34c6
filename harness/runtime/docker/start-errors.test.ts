import assert from 'node:assert/strict';
import { containerStartError, networkError } from './start-errors.ts';

describe('docker start failures', () => {
  it('a taken host port names the service and the port', () => {
    const err = containerStartError(
      'web-1',
      new Error(
        '(HTTP code 500) server error - driver failed programming external connectivity on endpoint x: Bind for 0.0.0.0:41234 failed: port is already allocated',
      ),
    );
    assert.equal(err.code, 'docker.port');
    assert.equal(err.exitCode, 3);
    assert.equal(err.message, 'web-1: host port 41234 is already in use');
  });

  it('anything else is one line naming the service', () => {
    const err = containerStartError(
      'pg-primary',
      new Error('Log message "/x/" not received after 120000ms\n  at ...'),
    );
    assert.equal(err.code, 'docker.start');
    assert.equal(
      err.message,
      'pg-primary did not start in its container: Log message "/x/" not received after 120000ms',
    );
    assert.doesNotMatch(err.oneLine(), /\n/);
  });

  it('a container that exited while starting: one line with its last log line, not the wait timeout', () => {
    const exited = containerStartError(
      'cdn',
      new Error('Container exited during HTTP healthCheck, last 50 logs: Debug: x\nError: y'),
      'Error: y',
    );
    assert.equal(exited.code, 'docker.start');
    assert.equal(exited.exitCode, 3);
    assert.equal(exited.message, 'cdn exited while starting; its last log line: Error: y');
    const silent = containerStartError(
      'web-1',
      new Error('Log stream ended and message "/listening/" was not received'),
    );
    assert.equal(silent.message, 'web-1 exited while starting (it logged nothing)');
    const early = containerStartError(
      'cdn',
      new Error('Timed out after 10000ms while waiting for container ports to be bound to the host'),
      'exec: varnishd: not found',
    );
    assert.equal(early.message, 'cdn exited while starting; its last log line: exec: varnishd: not found');
    assert.match(silent.oneLine(), /FAULTLINE_IMAGE_<ROLE>/);
  });

  it('no subnet left for the network says how to free one', () => {
    const err = networkError(
      'faultline-abc',
      new Error(
        '(HTTP code 400) unexpected - could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
      ),
    );
    assert.equal(err.code, 'docker.network');
    assert.match(
      err.oneLine(),
      /^cannot create docker network faultline-abc: could not find an available.*docker network prune/,
    );
  });
});
