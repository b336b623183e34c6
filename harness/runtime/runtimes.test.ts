import assert from 'node:assert/strict';
import { createLogger } from '../core/logger.ts';
import { resolveRuntime } from './runtimes.ts';

describe('choosing the runtime', () => {
  let lines: string[];
  const log = () => createLogger('info', (line) => lines.push(line));
  const dockerHost = process.env.DOCKER_HOST;
  beforeEach(() => {
    lines = [];
  });
  afterEach(() => {
    if (dockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = dockerHost;
  });

  it('auto without a Docker engine is the local runtime, and says why', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    assert.equal(await resolveRuntime('auto', { log: log() }), 'local');
    assert.equal(lines.length, 1, lines.join(''));
    assert.match(
      lines[0] as string,
      /info {2}runtime: local, since no Docker engine is reachable \(DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock does not answer: .*ENOENT.*\)\n$/,
    );
  });

  it('a runtime chosen by name is used as it is, without looking for an engine', async () => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    assert.equal(await resolveRuntime('docker', { log: log() }), 'docker');
    assert.equal(await resolveRuntime('local', { log: log() }), 'local');
    assert.deepEqual(lines, []);
  });
});
