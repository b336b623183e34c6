import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricUnit } from '../checkers/checker.ts';
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { faultRecords } from './faults.ts';
import { configuredLoad } from './load.ts';
import {
  type HypothesisResult,
  RESULT_SCHEMA_VERSION,
  readResult,
  resultSchema,
  writtenSchemaVersion,
} from './result.ts';

const FIXTURES = fileURLToPath(new URL('../../reports/fixtures/', import.meta.url));
const FIXTURE = join(FIXTURES, 'cache-node-loss.result.json');

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The committed fixtures: real runs, written as schema version 1. */
/** The committed fixtures written as schema version 1 (later ones are version 2). */
async function v1Files(): Promise<string[]> {
  const files = (await readdir(FIXTURES, { recursive: true })).filter((f) => f.endsWith('result.json'));
  const v1: string[] = [];
  for (const f of files) {
    const path = join(FIXTURES, f);
    if (JSON.parse(await readFile(path, 'utf8')).schemaVersion === 1) v1.push(path);
  }
  assert.ok(v1.length >= 5, `the version 1 fixtures are there (${v1.length})`);
  return v1;
}

describe('readResult', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-read-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const refusal = (file: string, problem: RegExp) => (err: unknown) => {
    assert.ok(err instanceof FaultlineError, String(err));
    assert.equal(err.exitCode, ExitCode.usage);
    assert.ok(err.message.includes(file), `names ${file}: ${err.message}`);
    assert.match(err.oneLine(), problem);
    assert.doesNotMatch(err.oneLine(), /\n/);
    return true;
  };

  it(`reads a version 1 file as version ${RESULT_SCHEMA_VERSION}: its faults and configured load derived as before they were stored`, async () => {
    for (const file of await v1Files()) {
      const json = JSON.parse(await readFile(file, 'utf8'));
      assert.equal(json.schemaVersion, 1, file);
      const result = await readResult(file);
      assert.equal(result.schemaVersion, RESULT_SCHEMA_VERSION);
      assert.equal(writtenSchemaVersion(result), 1, `${file}: a report still says what it read`);
      assert.deepEqual(result.faults, faultRecords(json), file);
      assert.deepEqual(result.load.configured, configuredLoad(json), file);
      assert.ok(result.load.configured, `${file}: every fixture's load is read`);
      const { upgradedFrom: _, faults: __, load: ___, ...rest } = result;
      assert.deepEqual(
        rest,
        { ...json, schemaVersion: RESULT_SCHEMA_VERSION },
        `${file}: nothing else changes`,
      );
    }
  });

  it(`a version ${RESULT_SCHEMA_VERSION} result round-trips through the schema: what a run writes reads back as it was`, async () => {
    const { upgradedFrom: _, ...written } = await readResult(FIXTURE);
    const reread = resultSchema.parse(JSON.parse(JSON.stringify(written)));
    assert.deepEqual(reread, written);
    assert.equal(writtenSchemaVersion(reread), RESULT_SCHEMA_VERSION);
    const life = { requested: 1, actuated: 2, unverified: 3, healFailed: 4 };
    const unhealed = { ...written, faults: [{ id: 'k:t', kind: 'k', target: 't', params: { a: 1 }, life }] };
    assert.deepEqual(
      resultSchema.parse(JSON.parse(JSON.stringify(unhealed))).faults,
      unhealed.faults,
      'an unverified fault whose heal failed stays so',
    );
  });

  it("keeps a hypothesis's unit and checker, and reads a hypothesis without them (written before they were stored)", async () => {
    const { upgradedFrom: _, ...written } = await readResult(FIXTURE);
    const [first] = written.hypotheses;
    assert.ok(first && !('unit' in first) && !('checker' in first), 'the fixture stores neither');
    const own = { ...first, metric: 'slow-request-ratio', unit: 'ratio', checker: 'slow-requests' } as const;
    const reread = resultSchema.parse(JSON.parse(JSON.stringify({ ...written, hypotheses: [own, first] })));
    assert.deepEqual(reread.hypotheses, [own, first]);
    // The units result.json takes are exactly the metrics' (checked by the compiler).
    const same: Same<MetricUnit, NonNullable<HypothesisResult['unit']>> = true;
    assert.ok(same);
    const bad = { ...written, hypotheses: [{ ...own, unit: 'furlongs' }] };
    assert.equal(resultSchema.safeParse(bad).success, false);
  });

  for (const version of [0, RESULT_SCHEMA_VERSION + 1]) {
    it(`refuses schema version ${version} in one line naming the file and the version it expects`, async () => {
      const file = join(dir, 'result.json');
      const json = JSON.parse(await readFile(FIXTURE, 'utf8'));
      await writeFile(file, JSON.stringify({ ...json, schemaVersion: version }));
      await assert.rejects(
        readResult(file),
        refusal(
          file,
          new RegExp(
            `is not a faultline result: schemaVersion.*expected schemaVersion ${RESULT_SCHEMA_VERSION}`,
          ),
        ),
      );
    });
  }

  it(`refuses a version ${RESULT_SCHEMA_VERSION} file without its faults or load, naming them`, async () => {
    const file = join(dir, 'result.json');
    const json = JSON.parse(await readFile(FIXTURE, 'utf8'));
    await writeFile(file, JSON.stringify({ ...json, schemaVersion: RESULT_SCHEMA_VERSION }));
    await assert.rejects(readResult(file), refusal(file, /is not a faultline result: faults: .*; load: /));
  });

  it('refuses a missing or truncated file in one line', async () => {
    const missing = join(dir, 'missing.json');
    await assert.rejects(readResult(missing), refusal(missing, /cannot read/));
    const truncated = join(dir, 'truncated.json');
    await writeFile(truncated, (await readFile(FIXTURE, 'utf8')).slice(0, 200));
    await assert.rejects(readResult(truncated), refusal(truncated, /cannot read/));
  });
});
