import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, waitForOutput } from '../../../test/helpers/cli.ts';
import { defaultRoot } from '../../runtime/local/session.ts';

function sessions(): string[] {
  try {
    return readdirSync(join(defaultRoot(), 'sessions'));
  } catch {
    return [];
  }
}

describe('faultline up and doctor (the CLI)', function () {
  this.timeout(60_000);

  it('up: starts the topology, prints its endpoints, and leaves nothing behind on Ctrl-C', async () => {
    const before = sessions();
    const run = runCli([
      'up',
      '--runtime',
      'local',
      '--web',
      '1',
      '--cache',
      '1',
      '--replicas',
      '1',
      '--json',
    ]);
    const [line] = await waitForOutput(run, /^\{.*\}$/m, 30_000);
    const { endpoints, links } = JSON.parse(line) as {
      endpoints: { lb: string; toxiproxy: string };
      links: string[];
    };
    assert.ok(links.includes('web-1->pg-replica-1'));
    const product = await fetch(`${endpoints.lb}/products/1`);
    assert.equal(product.status, 200);
    await product.arrayBuffer();
    const proxies = (await (await fetch(`${endpoints.toxiproxy}/proxies`)).json()) as Record<string, unknown>;
    assert.equal(Object.keys(proxies).length, links.length, 'every link is a proxy');
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 0);
    assert.deepEqual(sessions(), before, 'its session directory and processes are gone');
  });

  it('up with impossible counts: one line naming every problem, exit 2, nothing started', async () => {
    const before = sessions();
    const run = runCli(['up', '--web', '0', '--replicas', '0']);
    assert.equal(await run.exit, 2);
    assert.match(
      run.stderr(),
      /^faultline: invalid topology options: web: must be at least 1.*; replicas: must be at least 1.*\n$/m,
    );
    assert.deepEqual(sessions(), before);
  });

  it('doctor: lists each prerequisite of the local runtime and exits 0 when all are there', async () => {
    const run = runCli(['doctor', '--runtime', 'local']);
    assert.equal(await run.exit, 0, run.stderr());
    for (const name of ['postgresql', 'redis', 'haproxy', 'varnish'])
      assert.match(run.stdout(), new RegExp(`^\\s+ok\\s+${name}`, 'm'));
  });
});
