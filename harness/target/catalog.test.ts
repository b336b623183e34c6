/** Finding targets: by name in targets/, by path, or as a definition an experiment imported. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultlineError } from '../core/errors.ts';
import { plannedTopology } from '../runtime/topology.ts';
import { loadTarget, targetNames } from './catalog.ts';
import { composeTarget, isTarget } from './target.ts';

const usage = (pattern: RegExp) => (err: unknown) =>
  err instanceof FaultlineError && err.exitCode === 2 && pattern.test(err.oneLine());

describe('the target catalog', () => {
  it('finds the shop by name, the default, and composes it from topology options', async () => {
    assert.ok(targetNames().includes('shop'));
    const shop = await loadTarget();
    assert.ok(isTarget(shop));
    assert.equal(shop, await loadTarget('shop'), 'loaded once');
    const planned = plannedTopology(composeTarget(shop, { web: 1, cache: 0, replicas: 1 }));
    assert.deepEqual(planned.serviceNames, [
      'toxiproxy',
      'lb',
      'cdn',
      'pg-primary',
      'pg-replica-1',
      'sessions',
      'web-1',
    ]);
  });

  it('an unknown name lists the targets there are', async () => {
    await assert.rejects(loadTarget('nope'), usage(/no target named "nope" \(targets: .*shop/));
  });

  it('bad topology options name every problem and the target', async () => {
    const shop = await loadTarget();
    assert.throws(
      () => composeTarget(shop, { web: 0, replicas: 0, colour: 'red' }),
      usage(
        /invalid topology options: .*web: must be at least 1.*replicas: must be at least 1.*colour.*fix the listed options of the shop target/,
      ),
    );
  });

  it('the shop takes a cache TTL (default 30 s), and refuses one under 1 s before anything starts', async () => {
    const shop = await loadTarget();
    assert.equal(composeTarget(shop, {}).options.cacheTtl, 30);
    assert.equal(composeTarget(shop, { cacheTtl: 7 }).options.cacheTtl, 7);
    for (const ttl of [0, -5]) {
      assert.throws(() => composeTarget(shop, { cacheTtl: ttl }), usage(/cacheTtl: must be at least 1 s/));
    }
  });

  describe('by path', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'faultline-target-'));
      writeFileSync(join(dir, 'plain.target.ts'), 'export default { name: "plain" };\n');
      writeFileSync(join(dir, 'broken.target.ts'), 'export default = ;\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a file that does not export defineTarget({...}) says so', async () => {
      await assert.rejects(loadTarget(join(dir, 'plain.target.ts')), usage(/does not export a target/));
    });

    it('a file that does not load names itself and the error', async () => {
      await assert.rejects(
        loadTarget(join(dir, 'broken.target.ts')),
        usage(/cannot load .*broken\.target\.ts/),
      );
    });

    it('a missing file is named', async () => {
      await assert.rejects(
        loadTarget(join(dir, 'missing.target.ts')),
        usage(/no target file .*missing\.target\.ts/),
      );
    });
  });
});
