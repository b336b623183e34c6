import assert from 'node:assert/strict';
import { publishAddress } from './loopback-container.ts';

describe('where containers publish their ports', () => {
  it('on the loopback address the harness uses, for an engine on this machine', () => {
    assert.equal(publishAddress('127.0.0.1'), '127.0.0.1');
    assert.equal(publishAddress('localhost'), '127.0.0.1');
    assert.equal(publishAddress('::1'), '::1');
  });

  it("on all of a remote engine's interfaces, the only way to reach them from here", () => {
    assert.equal(publishAddress('172.17.0.1'), '');
    assert.equal(publishAddress('docker.example.test'), '');
  });
});
