import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeViolation, importViolations, lintImports } from './imports.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('import directions lint', () => {
  it('finds no violation in the project', async () => {
    assert.deepEqual((await lintImports(ROOT)).map(describeViolation), []);
  });

  it('nothing under harness/ imports a target, not even a spec: targets plug in, found by name', () => {
    const text = [
      "import { seedSql } from '../../../targets/shop/src/seed.ts';",
      "const shop = await import('../../targets/shop/target.ts');",
      "import { defineTarget } from '../target/target.ts';",
    ].join('\n');
    for (const file of [
      'harness/runtime/local/local-topology.ts',
      'harness/runtime/local/x.integration.test.ts',
    ]) {
      const depth = file.split('/').length - 1;
      const found = importViolations(
        file,
        text
          .replaceAll('../../../', '../'.repeat(depth))
          .replaceAll("'../../targets", `'${'../'.repeat(depth)}targets`),
      );
      assert.deepEqual(
        found.map((v) => [v.line, v.rule.to]),
        [
          [1, 'targets'],
          [2, 'targets'],
        ],
      );
    }
  });

  it('reports/ importing harness/run/ is one line naming the file, line and import', () => {
    const text = [
      "import { x } from '../../harness/journal/index.ts';",
      "import type { RunOutcome } from '../../harness/run/run-experiment.ts';",
    ].join('\n');
    const lines = importViolations('reports/html/model.ts', text).map(describeViolation);
    assert.deepEqual(lines, [
      'reports/html/model.ts:2: imports ../../harness/run/run-experiment.ts: reports/ must not import harness/run/ (reports read results through harness/journal)',
    ]);
  });

  it('reports/ reach harness/checkers/ only through the registry and the metric table', () => {
    const text = [
      "import { checkerDefinitions } from '../../harness/checkers/registry.ts';",
      "import { metrics } from '../../../harness/checkers/metric-values.ts';",
      "import { analyzeStaleReads } from '../../harness/checkers/stale-reads.ts';",
    ].join('\n');
    const found = importViolations('reports/compare/metrics.ts', text);
    assert.deepEqual(
      found.map((v) => [v.line, v.specifier]),
      [[3, '../../harness/checkers/stale-reads.ts']],
    );
    assert.equal(
      importViolations('reports/html/sections/checks.ts', text.split('\n')[1] as string).length,
      0,
    );
  });

  it('harness/run/ importing reports/ is caught, also through a re-export or a dynamic import', () => {
    const text = [
      "export { writeReport } from '../../reports/html/write.ts';",
      "const html = await import('../../reports/html/render.ts');",
      "import '../../reports/junit/junit.ts';",
    ].join('\n');
    const found = importViolations('harness/run/journal.ts', text);
    assert.deepEqual(
      found.map((v) => [v.line, v.rule.to]),
      [
        [1, 'reports'],
        [2, 'reports'],
        [3, 'reports'],
      ],
    );
  });

  it('leaves alone what the rules allow: journal, lower layers, and folders with similar names', () => {
    const reports = [
      "import { readResult } from '../../harness/journal/index.ts';",
      "import { phaseNumbers } from '../../harness/metrics/phase-numbers.ts';",
      "import { x } from '../../harness/runtime/topology.ts';",
    ].join('\n');
    assert.deepEqual(importViolations('reports/compare/prepare.ts', reports), []);
    const run =
      "import { writeJournal } from '../journal/index.ts';\nimport { y } from './reports-helper.ts';";
    assert.deepEqual(importViolations('harness/run/run-experiment.ts', run), []);
  });

  it('scans every file of the folders on disk', async () => {
    const root = await mkdtemp(join(tmpdir(), 'faultline-imports-'));
    try {
      await mkdir(join(root, 'reports', 'html'), { recursive: true });
      await mkdir(join(root, 'harness', 'run'), { recursive: true });
      await writeFile(
        join(root, 'reports', 'html', 'a.ts'),
        "import { r } from '../../harness/run/result.ts';\n",
      );
      await writeFile(
        join(root, 'harness', 'run', 'b.ts'),
        "import { w } from '../../reports/html/write.ts';\n",
      );
      const found = (await lintImports(root)).map((v) => `${v.file}:${v.line}`).sort();
      assert.deepEqual(found, ['harness/run/b.ts:1', 'reports/html/a.ts:1']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
