/**
 * The user's own app as an image on the docker runtime (docs/targets.md), through the CLI as a user
 * types it: one container per web instance with the contract's environment, judged like any run; an
 * image the engine lacks and cannot pull is one line, exit 2, nothing started.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgedRun, runCli } from '../../../test/helpers/cli.ts';
import { sessionLeftovers } from '../../../test/helpers/docker-leftovers.ts';
import { writeEchoApp } from '../../../test/helpers/echo-app.ts';
import { connectEngine } from './engine.ts';
import { buildAppImage } from './image-build.ts';

const IMAGE = 'faultline-spec/echo-app:1';

describe('docker runtime: your own app as an image', function () {
  this.timeout(180_000);
  let dir: string;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-image-app-'));
    out = mkdtempSync(join(tmpdir(), 'faultline-image-runs-'));
    writeEchoApp(dir);
    await buildAppImage(await connectEngine(), IMAGE, dir, () => undefined);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
    await (await connectEngine()).docker
      .getImage(IMAGE)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('runs lb-backend-death against the image, sending the requests given, and judges it', async () => {
    const run = runCli([
      'run',
      'lb-backend-death',
      '--variant',
      'checks=fast',
      '--runtime',
      'docker',
      '--duration-scale',
      '0.4',
      '--app-image',
      IMAGE,
      '--app-request',
      'GET /',
      '--out',
      out,
      '--json',
    ]);
    const result = await judgedRun(run);
    assert.equal(result.topology.app, `image: ${IMAGE}`);
    const failover = result.hypotheses.find((h) => h.metric === 'failover-time');
    assert.equal(failover?.holds, true, JSON.stringify(failover));
    assert.equal(await sessionLeftovers(), 0, 'every container and network removed');
  });

  it('an image the engine lacks and cannot pull: one line, exit 2, nothing started', async () => {
    const run = runCli(['up', '--runtime', 'docker', '--app-image', 'faultline-spec/no-such-app:0']);
    assert.equal(await run.exit, 2, run.stderr());
    assert.match(
      run.stderr(),
      /^faultline: the app's image faultline-spec\/no-such-app:0 is not on the engine and cannot be pulled \(build it here/m,
    );
    assert.equal(await sessionLeftovers(), 0);
  });

  it('an app with a command but no image cannot run on docker: exit 2 before the engine is asked', async () => {
    const run = runCli(['up', '--runtime', 'docker', '--app-command', 'python3 app.py']);
    assert.equal(await run.exit, 2, run.stderr());
    assert.match(run.stderr(), /has no image for the docker runtime \(give the app an image/);
  });
});
