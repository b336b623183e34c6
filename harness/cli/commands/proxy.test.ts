import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { runCli, waitForOutput } from '../../../test/helpers/cli.ts';

describe('faultline proxy (the CLI)', function () {
  this.timeout(20_000);

  it('serves the Toxiproxy API until SIGTERM, then exits 0', async () => {
    const run = runCli(['proxy', '--port', '0', '--log-level', 'info']);
    const [, url] = await waitForOutput(run, /listening on (http:\S+)/, 10_000, 'stderr');
    const version = await (await fetch(`${url}/version`)).json();
    assert.deepEqual(version, { version: '2.12.0' });
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0);
  });

  it('a port already in use: one line that says so, exit 2', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = runCli(['proxy', '--port', `${port}`]);
      assert.equal(await run.exit, 2);
      assert.match(
        run.stderr(),
        new RegExp(
          `faultline: cannot listen on 127.0.0.1:${port}: address already in use \\(stop the other server or pick another --port\\)\\n$`,
        ),
      );
    } finally {
      blocker.close();
    }
  });

  it('a --config that is not valid JSON: exit 2 naming the file', async () => {
    const run = runCli(['proxy', '--port', '0', '--config', 'README.md']);
    assert.equal(await run.exit, 2);
    assert.match(run.stderr(), /--config README.md is not valid JSON/);
  });

  it('an unknown option: usage help and exit 2', async () => {
    const run = runCli(['proxy', '--prot', '1']);
    assert.equal(await run.exit, 2);
    assert.match(run.stderr(), /faultline: Unknown argument: prot/);
  });

  it('populates proxies from --config', async () => {
    const run = runCli(['proxy', '--port', '0', '--config', 'test/fixtures/proxies.json']);
    await waitForOutput(run, /populated 2 proxies/, 10_000, 'stderr');
    const url = /listening on (http:\S+)/.exec(run.stderr())?.[1] as string;
    const proxies = (await (await fetch(`${url}/proxies`)).json()) as Record<string, { enabled: boolean }>;
    assert.deepEqual(Object.keys(proxies).sort(), ['a', 'b']);
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 0);
  });
});
