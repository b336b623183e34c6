import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResult } from './result.ts';
import { writeJournal } from './write.ts';

const fixture = (file: string) =>
  readResult(fileURLToPath(new URL(`../../reports/fixtures/${file}`, import.meta.url)));

describe('writeJournal', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'faultline-journal-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes result.json alone (no report: that is the caller’s) and points latest at the run', async () => {
    const result = await fixture('lb-backend-death.checks-fast.result.json');
    const path = await writeJournal(out, result);
    const dir = dirname(path);
    assert.equal(path, join(out, 'lb-backend-death', '20261126T115419Z-checks=fast', 'result.json'));
    assert.deepEqual(await readdir(dir), ['result.json']);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), JSON.parse(JSON.stringify(result)));
    assert.deepEqual(await readResult(path), result, 'what it writes reads back');
    assert.equal(await readlink(join(out, 'lb-backend-death', 'latest')), '20261126T115419Z-checks=fast');
  });

  it('a later run moves latest to it and leaves no temporary behind', async () => {
    const result = await fixture('session-loss.sessions-memory.result.json');
    await writeJournal(out, result);
    const later = { ...result, startedAt: '2027-01-02T03:04:05.678Z' };
    await writeJournal(out, later);
    const experimentDir = join(out, result.experiment.name);
    assert.equal(await readlink(join(experimentDir, 'latest')), '20270102T030405Z-sessions=memory');
    assert.equal((await readdir(experimentDir)).length, 3, 'two runs and latest');
  });
});
