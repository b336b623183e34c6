import assert from 'node:assert/strict';
import { composeTarget } from '../../harness/target/target.ts';
import pyshop from './target.ts';

describe('the pyshop target’s options', () => {
  it('takes the options every experiment gives, with the shop’s defaults', () => {
    const composition = composeTarget(pyshop, {
      web: 2,
      cacheTtl: 2,
      mitigation: 'none',
      stampedeGuard: 'none',
    });
    assert.equal(composition.app.label, 'pyshop (python3 app.py)');
  });

  it('refuses the shop’s own mitigations and stampede guards by name, before anything starts', () => {
    assert.throws(
      () => composeTarget(pyshop, { mitigation: 'lsn' }),
      /pyshop implements no read-your-writes mitigation/,
    );
    assert.throws(
      () => composeTarget(pyshop, { stampedeGuard: 'single-flight' }),
      /stampedeGuard: pyshop guards against no cache stampede: only "none"/,
    );
  });
});
