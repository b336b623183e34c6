import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFixture } from '../../reports/html/fixtures.ts';
import { createLogger } from '../core/logger.ts';
import { writeJournal, writeJournalFiles } from './write.ts';

describe('writeJournal', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'faultline-journal-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes result.json, report.html beside it, and points latest at the run', async () => {
    const result = await loadFixture('lb-backend-death');
    const path = await writeJournal(out, result);
    const dir = dirname(path);
    assert.equal(path, join(out, 'lb-backend-death', '20261126T115419Z-checks=fast', 'result.json'));
    assert.deepEqual((await readdir(dir)).sort(), ['report.html', 'result.json']);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), JSON.parse(JSON.stringify(result)));
    assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /lb-backend-death/);
    assert.equal(await readlink(join(out, 'lb-backend-death', 'latest')), '20261126T115419Z-checks=fast');
  });

  it('a report that fails keeps the result, and says why', async () => {
    const result = await loadFixture('replica-lag');
    (result.metrics as { phases: { latency: string }[] }).phases.forEach((p) => {
      p.latency = 'not a histogram';
    });
    const lines: string[] = [];
    const files = await writeJournalFiles(out, result, {
      log: createLogger('warn', (l) => {
        lines.push(l);
        return true;
      }),
    });
    assert.deepEqual(await readdir(dirname(files.path)), ['result.json']);
    assert.equal(files.reportPath, undefined);
    assert.match(files.reportError?.message ?? '', /is not a faultline result/);
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /warn .*no report\.html for .*result\.json \(the result is saved\)/);
  });

  it('report: false writes the result alone', async () => {
    const files = await writeJournalFiles(out, await loadFixture('session-loss'), { report: false });
    assert.deepEqual(await readdir(dirname(files.path)), ['result.json']);
  });
});
