import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, FaultlineError } from '../../harness/core/errors.ts';
import { createLogger } from '../../harness/core/logger.ts';
import { fixturePath } from './fixtures.ts';
import { writeReport, writeReportBeside } from './write.ts';

/** The usage error every bad input must give: exit 2, one line, naming the file. */
function isBadInput(file: string, problem: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof FaultlineError, String(err));
    assert.equal(err.exitCode, ExitCode.usage);
    assert.ok(err.message.includes(file), `names ${file}: ${err.message}`);
    assert.match(err.message, problem);
    assert.doesNotMatch(err.oneLine(), /\n/);
    return true;
  };
}

describe('writeReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report.html beside result.json by default and returns its path', async () => {
    const result = join(dir, 'result.json');
    await copyFile(fixturePath('lb-backend-death'), result);
    const out = await writeReport(result);
    assert.equal(out, join(dir, 'report.html'));
    const page = await readFile(out, 'utf8');
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /<\/html>\n$/);
    assert.deepEqual((await readdir(dir)).sort(), ['report.html', 'result.json'], 'no temporary file left');
  });

  it('writes where --out says, replacing an older report whole', async () => {
    const out = join(dir, 'elsewhere.html');
    await writeFile(out, 'old');
    assert.equal(await writeReport(fixturePath('session-loss'), out), out);
    assert.match(await readFile(out, 'utf8'), /session-loss/);
  });

  const bad: [string, (file: string) => Promise<void>, RegExp][] = [
    ['a missing result', async () => undefined, /cannot read .*ENOENT/],
    [
      'a truncated result',
      async (file) => {
        const text = await readFile(fixturePath('replica-lag'), 'utf8');
        await writeFile(file, text.slice(0, text.length / 2));
      },
      /cannot read .*JSON/,
    ],
    [
      'a tampered result (verdict edited)',
      async (file) => {
        const json = JSON.parse(await readFile(fixturePath('replica-lag'), 'utf8'));
        json.verdict = 'excellent';
        await writeFile(file, JSON.stringify(json));
      },
      /is not a faultline result: verdict/,
    ],
    [
      'a result of another schema version',
      async (file) => {
        const json = JSON.parse(await readFile(fixturePath('replica-lag'), 'utf8'));
        json.schemaVersion = 99;
        await writeFile(file, JSON.stringify(json));
      },
      /is not a faultline result: schemaVersion/,
    ],
    [
      'a result whose histogram does not decode',
      async (file) => {
        const json = JSON.parse(await readFile(fixturePath('replica-lag'), 'utf8'));
        json.metrics.phases[1].buckets[0].latency = 'HISTFAAAA';
        await writeFile(file, JSON.stringify(json));
      },
      /is not a faultline result: .*histogram/i,
    ],
  ];
  for (const [what, make, problem] of bad) {
    it(`${what}: a usage error naming the file, and no report at all`, async () => {
      const file = join(dir, 'result.json');
      await make(file);
      const out = join(dir, 'report.html');
      await assert.rejects(writeReport(file, out), isBadInput(file, problem));
      assert.deepEqual(
        (await readdir(dir)).filter((f) => f !== 'result.json'),
        [],
        'nothing written',
      );
    });
  }

  it('an --out in a directory that does not exist: a usage error', async () => {
    const out = join(dir, 'no', 'such', 'dir', 'report.html');
    await assert.rejects(writeReport(fixturePath('cache-node-loss'), out), isBadInput(out, /cannot write/));
  });
});

describe('writeReportBeside (the report a run leaves)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-report-beside-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const collect = (lines: string[]) =>
    createLogger('warn', (l) => {
      lines.push(l);
      return true;
    });

  it('writes report.html beside result.json and returns its path, saying nothing', async () => {
    const result = join(dir, 'result.json');
    await copyFile(fixturePath('lb-backend-death'), result);
    const lines: string[] = [];
    assert.equal(await writeReportBeside(result, collect(lines)), join(dir, 'report.html'));
    assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /lb-backend-death/);
    assert.deepEqual(lines, []);
  });

  it('a report that fails keeps the result, and says why in one warning', async () => {
    const result = join(dir, 'result.json');
    const json = JSON.parse(await readFile(fixturePath('replica-lag'), 'utf8'));
    for (const p of json.metrics.phases) p.latency = 'not a histogram';
    await writeFile(result, JSON.stringify(json));
    const lines: string[] = [];
    assert.equal(await writeReportBeside(result, collect(lines)), undefined);
    assert.deepEqual(await readdir(dir), ['result.json']);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0] as string,
      /warn .*no report\.html for .*result\.json \(the result is saved\): .*is not a faultline result/,
    );
  });
});
