import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { identify, isAlive, type ProcessIdentity } from './process-identity.ts';

describe('process identity (pid + start time)', () => {
  it('a running process is alive; once it has exited it is not', async () => {
    const child = spawn('sleep', ['60']);
    const identity = identify(child.pid as number);
    assert.ok(identity);
    assert.equal(isAlive(identity), true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.equal(isAlive(identity), false);
  });

  it('the same pid with another start time is another process (a recycled pid)', () => {
    const me = identify(process.pid) as ProcessIdentity;
    assert.equal(isAlive({ pid: me.pid, startTime: `${me.startTime}1` }), false);
  });

  it('a malformed identity, as read from a damaged label or file, is never alive', () => {
    for (const identity of [{}, { pid: 0 }, { pid: -1, startTime: '1' }, { startTime: '1' }, { pid: 1.5 }]) {
      assert.equal(isAlive(identity as ProcessIdentity), false, JSON.stringify(identity));
    }
  });
});
