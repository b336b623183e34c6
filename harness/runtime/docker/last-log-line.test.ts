import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LastLogLine } from './last-log-line.ts';

describe('the last log line of a container that did not start', () => {
  it('is the last line that reads like an error, not the usage hint after it', () => {
    const last = new LastLogLine();
    last.add(
      "Debug: starting\nError: Cannot create working directory '/var/lib/varnish': Permission denied\n",
    );
    last.add('(-? gives usage)\n');
    assert.equal(last.value, "Error: Cannot create working directory '/var/lib/varnish': Permission denied");
  });

  it('is the last line when none reads like an error; nothing when nothing was logged', () => {
    const last = new LastLogLine();
    assert.equal(last.value, undefined);
    last.add('starting\n\n  listening soon  \n');
    assert.equal(last.value, 'listening soon');
  });

  it('follows a log stream as testcontainers hands it over, and stops when closed', () => {
    const last = new LastLogLine();
    const stream = new PassThrough({ encoding: 'utf8' });
    last.follow(stream);
    stream.write('/usr/local/bin/docker-entrypoint.sh: exec: varnishd: not found\n');
    assert.equal(last.value, '/usr/local/bin/docker-entrypoint.sh: exec: varnishd: not found');
    last.close();
    assert.equal(stream.destroyed, true);
  });
});
