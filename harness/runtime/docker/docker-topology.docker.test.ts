/**
 * The docker runtime for real: the default topology in containers on its own network, the same
 * handles as the local runtime, and nothing left behind — on stop, on Ctrl-C and SIGTERM, on kill -9 of the harness.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer } from 'testcontainers';
import { runCli, waitForOutput } from '../../../test/helpers/cli.ts';
import { sessionLeftovers } from '../../../test/helpers/docker-leftovers.ts';
import { allPortsRefuse, pgSession } from '../../faults/probes.ts';
import { composeFor } from '../../target/start-target.ts';
import { redisPing } from '../answers.ts';
import { identify } from '../local/process-identity.ts';
import { OWNER_LABEL, reapDockerLeftovers, SESSION_LABEL } from './docker-session.ts';
import { type DockerTopology, startDockerTopology } from './docker-topology.ts';
import { connectEngine } from './engine.ts';
import { images } from './images.ts';

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('the docker runtime (the default topology in containers)', function () {
  this.timeout(180_000);
  let topology: DockerTopology;
  let session: string;

  before(async () => {
    topology = await startDockerTopology(await composeFor({}));
    session = topology.network.replace(/^faultline-/, '');
  });
  after(async () => {
    await topology?.stop();
  });

  it('serves the shop through the LB and static files through the CDN edge', async () => {
    const product = await fetch(`${topology.endpoints.lb}/products/1`);
    assert.equal(product.status, 200);
    assert.equal(((await product.json()) as { id: number }).id, 1);
    const first = await fetch(`${topology.endpoints.cdn}/static/app.css`);
    await first.arrayBuffer();
    const second = await fetch(`${topology.endpoints.cdn}/static/app.css`);
    await second.arrayBuffer();
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('x-cache'), 'hit');
  });

  it('runs the same services and links as the local runtime, every link a proxy in Toxiproxy, published on loopback only', async () => {
    assert.deepEqual(
      [...topology.serviceNames].sort(),
      [
        'cache-1',
        'cache-2',
        'cdn',
        'lb',
        'pg-primary',
        'pg-replica-1',
        'pg-replica-2',
        'sessions',
        'toxiproxy',
        'web-1',
        'web-2',
        'web-3',
      ].sort(),
    );
    const proxies = (await (await fetch(`${topology.endpoints.toxiproxy}/proxies`)).json()) as Record<
      string,
      { enabled: boolean; upstream: string }
    >;
    assert.deepEqual(Object.keys(proxies).sort(), [...topology.linkNames].sort());
    assert.equal(proxies['web-1->pg-primary']?.upstream, `${topology.containerName('pg-primary')}:5432`);
    const { docker } = await connectEngine();
    for (const name of topology.serviceNames) {
      const info = await docker.getContainer(topology.containerName(name)).inspect();
      assert.deepEqual(
        Object.keys(info.NetworkSettings.Networks),
        [topology.network],
        `${name} is only on the session network`,
      );
      const published = Object.values(info.NetworkSettings.Ports).flatMap((b) => b ?? []);
      assert.ok(published.length > 0, `${name} publishes a port`);
      assert.deepEqual(
        [...new Set(published.map((b) => b.HostIp))],
        ['127.0.0.1'],
        `${name} answers the harness on loopback only`,
      );
    }
    const web = await docker.getContainer(topology.containerName('web-1')).inspect();
    assert.match(
      (web.Config.Cmd ?? []).join(' '),
      /^node targets\/shop\/dist\/server-[0-9a-f]+\.mjs$/,
      'the shop runs as plain JavaScript: nothing built for the host platform (tsx, esbuild) in the container',
    );
    const states = await topology.lbServerStates();
    assert.deepEqual(
      states.map((s) => `${s.server} ${s.status}`),
      ['web-1 UP', 'web-2 UP', 'web-3 UP'],
    );
  });

  it('streams both replicas from the primary through their links', async () => {
    const rows = await pgSession(
      topology.service('pg-primary'),
      async (c) =>
        (
          await c.query<{ application_name: string; state: string }>(
            'SELECT application_name, state FROM pg_stat_replication ORDER BY 1',
          )
        ).rows,
    );
    assert.deepEqual(
      rows.map((r) => `${r.application_name} ${r.state}`),
      ['pg-replica-1 streaming', 'pg-replica-2 streaming'],
    );
  });

  it('kill -9 stops a service, saying when its process died (before the engine answered); restart brings it back on the same host port', async () => {
    const cache = topology.service('cache-1');
    const port = cache.ports.redis as number;
    const asked = Date.now();
    const { exitedAt } = await cache.kill('SIGKILL');
    const answered = Date.now();
    assert.equal(cache.running, false);
    assert.ok(exitedAt >= asked && exitedAt <= answered, `exited ${exitedAt - asked} ms after the kill`);
    assert.ok(await allPortsRefuse(cache), 'nothing answers on its port once killed');
    await cache.restart();
    assert.equal(cache.running, true);
    assert.equal(cache.ports.redis, port);
    assert.ok(await redisPing(cache.host, port), 'answers PING again');
  });

  it('a restarted replica keeps its data and streams again', async () => {
    const replica = topology.service('pg-replica-1');
    await replica.kill('SIGKILL');
    await replica.restart();
    const primary = topology.service('pg-primary');
    const streaming = await until(
      async () =>
        (
          await pgSession(primary, (c) =>
            c.query(
              "SELECT 1 FROM pg_stat_replication WHERE application_name = 'pg-replica-1' AND state = 'streaming'",
            ),
          )
        ).rowCount === 1,
      20_000,
    );
    assert.ok(streaming, 'pg-replica-1 streams again');
  });

  it('pause freezes a service (connections hang), resume thaws it', async () => {
    const cache = topology.service('cache-2');
    await cache.pause();
    assert.equal(await redisPing(cache.host, cache.ports.redis as number, 300), false);
    await cache.resume();
    assert.equal(await redisPing(cache.host, cache.ports.redis as number), true);
  });

  it('keeps each service’s recent log lines', async () => {
    const lines: string[] = [];
    for await (const line of topology.service('pg-primary').logs()) lines.push(line);
    assert.ok(
      lines.some((l) => /ready to accept connections/.test(l)),
      lines.slice(-5).join('\n'),
    );
  });

  it('stop removes every container and the network', async () => {
    assert.ok((await sessionLeftovers(session)) > 0);
    await topology.stop();
    assert.equal(await sessionLeftovers(session), 0);
  });
});

describe('the docker runtime leaves nothing behind', function () {
  this.timeout(120_000);

  it('a session whose owner died is reaped at the next start', async () => {
    const { docker } = await connectEngine();
    // Identified while alive, then gone: exactly what a dead harness leaves in its owner label.
    const child = spawn('sleep', ['60']);
    const dead = identify(child.pid as number);
    assert.ok(dead, 'the owner-to-be is identified while it runs');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const id = `test-dead-owner-${Date.now()}`;
    const labels = {
      [SESSION_LABEL]: id,
      [OWNER_LABEL]: JSON.stringify({ ...dead, host: hostname() }),
    };
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    await new GenericContainer(images().redis).withLabels(labels).withCommand(['redis-server']).start();
    assert.equal(await sessionLeftovers(id), 1);
    assert.ok((await reapDockerLeftovers(docker)) >= 1);
    assert.equal(await sessionLeftovers(id), 0);
  });

  it('kill -9 of the harness: the watchdog removes its containers within seconds', async () => {
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', 'harness/runtime/docker/fixtures/hold-session.ts'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    holder.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const held = await until(async () => /holding (\S+)/.test(out), 60_000);
    assert.ok(held, `the fixture holds a session: ${out}`);
    const id = (/holding (\S+)/.exec(out) as RegExpExecArray)[1] as string;
    assert.equal(await sessionLeftovers(id), 2, 'one container and the network');
    holder.kill('SIGKILL');
    assert.ok(await until(async () => (await sessionLeftovers(id)) === 0, 10_000), 'reaped');
  });

  for (const [signal, what] of [
    ['SIGINT', 'Ctrl-C'],
    ['SIGTERM', 'SIGTERM'],
  ] as const) {
    it(`${what} on \`faultline up --runtime docker\` removes everything and exits 0`, async () => {
      const up = runCli([
        'up',
        '--runtime',
        'docker',
        '--web',
        '1',
        '--cache',
        '0',
        '--replicas',
        '1',
        '--json',
      ]);
      const line = await waitForOutput(up, /^\{.*\}$/m, 120_000);
      const network = (JSON.parse(line[0]) as { network?: string }).network;
      up.child.kill(signal);
      assert.equal(await up.exit, 0, up.stderr());
      assert.ok(network, 'up --json names its docker network');
      assert.equal(await sessionLeftovers(network.replace(/^faultline-/, '')), 0);
    });
  }

  it('SIGTERM during `faultline run --runtime docker` (a cancelled CI job): the fault is healed, the partial result written, exit 3, nothing left', async () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-docker-runs-'));
    try {
      const run = runCli([
        'run',
        'lb-backend-death',
        '--runtime',
        'docker',
        '--variant',
        'checks=fast',
        '--out',
        out,
      ]);
      await waitForOutput(run, /lb-backend-death \[checks=fast\]: fault/, 120_000, 'stderr');
      run.child.kill('SIGTERM');
      assert.equal(await run.exit, 3, run.stderr());
      const result = JSON.parse(
        readFileSync(join(out, 'lb-backend-death', 'latest', 'result.json'), 'utf8'),
      ) as { status: string; environment: { runtime: string }; events: { kind: string }[] };
      assert.equal(result.status, 'aborted');
      assert.equal(result.environment.runtime, 'docker');
      assert.ok(
        result.events.some((e) => e.kind === 'fault-healed'),
        'the injected fault was healed',
      );
      assert.equal(await sessionLeftovers(), 0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('a missing, unpullable image: one line naming it and the fix, exit 3, nothing started', async () => {
    const run = runCli(['up', '--runtime', 'docker'], {
      FAULTLINE_IMAGE_REDIS: 'faultline-test/no-such-redis:1',
    });
    assert.equal(await run.exit, 3);
    assert.match(
      run.stderr(),
      /faultline: image missing and not pullable: faultline-test\/no-such-redis:1 \(run "faultline images build".*FAULTLINE_IMAGE_REDIS/,
    );
  });

  it('a container that exits while starting: one line naming it with its last log line, exit 3, nothing left', async () => {
    // An image that cannot run the CDN: the container exits at once instead of serving.
    const run = runCli(['up', '--runtime', 'docker', '--web', '1', '--cache', '0', '--replicas', '1'], {
      FAULTLINE_IMAGE_VARNISH: images().redis,
    });
    assert.equal(await run.exit, 3, run.stderr());
    assert.match(
      run.stderr(),
      /^faultline: cdn exited while starting; its last log line: .+\(check the image/m,
    );
    assert.equal(await sessionLeftovers(), 0);
  });

  it('auto: an engine whose images cannot be had means the local runtime, saying why', async () => {
    const up = runCli(
      ['up', '--runtime', 'auto', '--web', '1', '--cache', '0', '--replicas', '1', '--json'],
      {
        FAULTLINE_IMAGE_REDIS: 'faultline-test/no-such-redis:1',
      },
    );
    const line = await waitForOutput(up, /^\{.*\}$/m, 120_000);
    up.child.kill('SIGINT');
    assert.equal(await up.exit, 0, up.stderr());
    assert.equal((JSON.parse(line[0]) as { runtime: string }).runtime, 'local');
    assert.match(
      up.stderr(),
      /runtime: local, since image missing and not pullable: faultline-test\/no-such-redis:1/,
    );
  });

  it('no engine reachable: one line that says so and how to go on, exit 3', async () => {
    const run = runCli(['up', '--runtime', 'docker'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(await run.exit, 3);
    assert.match(run.stderr(), /faultline: no Docker engine is reachable .*--runtime local/);
  });

  it('doctor reports the engine, its version and each image; a missing one fails --runtime docker', async () => {
    const ready = runCli(['doctor', '--runtime', 'docker']);
    assert.equal(await ready.exit, 0, ready.stderr());
    assert.match(
      ready.stdout(),
      /^\s+ok\s+docker engine\s+Docker \d+\.\d+\S*, ports reached on 127\.0\.0\.1$/m,
    );
    assert.match(ready.stdout(), /^\s+ok\s+image postgres\s+\S+/m);
    const missing = runCli(['doctor', '--runtime', 'docker'], {
      FAULTLINE_IMAGE_VARNISH: 'faultline-test/none:1',
    });
    assert.equal(await missing.exit, 3);
    assert.match(missing.stdout(), /^\s+MISSING image varnish\s+faultline-test\/none:1 not present/m);
  });
});
