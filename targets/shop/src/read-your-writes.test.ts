import assert from 'node:assert/strict';
import { formatRw, parseRw, readRoute } from './read-your-writes.ts';

describe('read-your-writes routing', () => {
  const options = { primaryAfterWriteMs: 2000, hasReplicas: true } as const;

  it('round-trips the cookie and ignores anything malformed', () => {
    assert.deepEqual(parseRw(formatRw({ at: 5, lsn: '0/3000148' })), { at: 5, lsn: '0/3000148' });
    assert.deepEqual(parseRw('{"at":5,"lsn":"0/1; DROP TABLE"}'), { at: 5 });
    assert.equal(parseRw('{"at":"soon"}'), undefined);
    assert.equal(parseRw('not json'), undefined);
    assert.equal(parseRw(undefined), undefined);
  });

  it('reads from replicas unless a mitigation says otherwise', () => {
    assert.deepEqual(readRoute({ ...options, mitigation: 'none' }, { at: 1000 }, 1001), { to: 'replica' });
    assert.deepEqual(readRoute({ ...options, mitigation: 'primary-after-write' }, undefined, 1001), {
      to: 'replica',
    });
    assert.deepEqual(readRoute({ ...options, mitigation: 'none', hasReplicas: false }, undefined), {
      to: 'primary',
      reason: 'no-replicas',
    });
  });

  it('primary-after-write pins reads to the primary for the window only', () => {
    const o = { ...options, mitigation: 'primary-after-write' } as const;
    assert.equal(readRoute(o, { at: 1000 }, 2999).to, 'primary');
    assert.equal(readRoute(o, { at: 1000 }, 3000).to, 'replica');
    assert.equal(readRoute(o, { at: 1_000_000 }, 0).to, 'replica', 'a forged future write time');
  });

  it('lsn asks for a replica that has replayed the write', () => {
    const o = { ...options, mitigation: 'lsn' } as const;
    assert.deepEqual(readRoute(o, { at: 1, lsn: '0/16B3748' }, 2), { to: 'replica-at', lsn: '0/16B3748' });
    assert.deepEqual(readRoute(o, { at: 1 }, 2), { to: 'replica' });
  });
});
