import assert from 'node:assert/strict';
import { FaultlineError } from '../core/errors.ts';
import { appFromFlags, splitCommand } from './app-options.ts';

describe('the app flags', () => {
  it('split a command into words as a shell would, without running one', () => {
    assert.deepEqual(splitCommand('python3 app.py --workers 2'), ['python3', 'app.py', '--workers', '2']);
    assert.deepEqual(splitCommand(`node "my app.js" 'a b' c\\ d ""`), [
      'node',
      'my app.js',
      'a b',
      'c d',
      '',
    ]);
    assert.deepEqual(splitCommand('  ruby   app.rb  '), ['ruby', 'app.rb']);
    assert.throws(() => splitCommand('python3 "app.py'), /unclosed "/);
  });

  it('give an app with its command, image, health path and schema', () => {
    assert.deepEqual(
      appFromFlags({ appCommand: 'python3 app.py', appHealth: '/up', appSchema: 'schema.sql' }),
      {
        command: ['python3', 'app.py'],
        healthPath: '/up',
        schema: 'schema.sql',
      },
    );
    assert.deepEqual(appFromFlags({ appImage: 'acme/api:1.4' }), { image: 'acme/api:1.4' });
    assert.equal(appFromFlags({}), undefined);
  });

  it('refuse app details without an app, and an empty command, with exit 2', () => {
    for (const flags of [{ appHealth: '/up' }, { appCommand: '   ' }]) {
      assert.throws(
        () => appFromFlags(flags),
        (err: unknown) => err instanceof FaultlineError && err.exitCode === 2,
      );
    }
  });
});
