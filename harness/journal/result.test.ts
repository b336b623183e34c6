import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { RESULT_SCHEMA_VERSION, readResult } from './result.ts';

const FIXTURE = fileURLToPath(new URL('../../reports/fixtures/cache-node-loss.result.json', import.meta.url));

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

  it(`reads a result of schema version ${RESULT_SCHEMA_VERSION}`, async () => {
    const result = await readResult(FIXTURE);
    assert.equal(result.schemaVersion, RESULT_SCHEMA_VERSION);
    assert.equal(result.experiment.name, 'cache-node-loss');
  });

  it('refuses another schema version in one line naming the file and the version it expects', async () => {
    const file = join(dir, 'result.json');
    const json = JSON.parse(await readFile(FIXTURE, 'utf8'));
    await writeFile(file, JSON.stringify({ ...json, schemaVersion: 0 }));
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

  it('refuses a missing or truncated file in one line', async () => {
    const missing = join(dir, 'missing.json');
    await assert.rejects(readResult(missing), refusal(missing, /cannot read/));
    const truncated = join(dir, 'truncated.json');
    await writeFile(truncated, (await readFile(FIXTURE, 'utf8')).slice(0, 200));
    await assert.rejects(readResult(truncated), refusal(truncated, /cannot read/));
  });
});
