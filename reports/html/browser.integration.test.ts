/**
 * The report in a real browser: headless Chromium (Debian's `chromium`) opens each fixture's report
 * from disk, takes a screenshot, and the test fails if the page logged anything to the console
 * (a script error, a blocked request: the page's CSP forbids every fetch) or rendered (nearly)
 * empty. Two controls prove the checks catch both.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureChromium } from '../../test/helpers/chromium.ts';
import { FIXTURES, type FixtureName, loadFixture } from './fixtures.ts';
import { pngStats } from './png.ts';
import { renderReport } from './render.ts';

interface Shot {
  png: string;
  /** Console output of the page (errors, blocked requests, logs). */
  console: string[];
}

function screenshot(chromium: string, page: string, png: string, profile: string): Promise<Shot> {
  const args = [
    '--headless',
    '--no-sandbox', // root in CI; harmless otherwise
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    // No background connections: the page must make none, and the machine's network may refuse them.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--enable-logging=stderr',
    '--v=0',
    `--screenshot=${png}`,
    '--window-size=1280,2000',
    pathToFileURL(page).href,
  ];
  return new Promise((resolve, reject) => {
    execFile(chromium, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
      const console = stderr.split('\n').filter((l) => /:CONSOLE[:(\]]|Uncaught/.test(l));
      resolve({ png, console });
    });
  });
}

/** Fails unless the screenshot shows a page: many colours, none covering nearly everything. */
async function assertNotEmpty(png: string): Promise<void> {
  const stats = pngStats(await readFile(png));
  assert.equal(stats.width, 1280);
  assert.ok(stats.distinctColours >= 200, `only ${stats.distinctColours} colours in ${png}: an empty page?`);
  assert.ok(stats.dominantShare < 0.9, `${Math.round(stats.dominantShare * 100)} % one colour in ${png}`);
}

describe('the HTML report in headless Chromium', function () {
  this.timeout(120_000);
  let chromium: string;
  let dir: string;
  before(async function () {
    this.timeout(600_000); // a first-time apt-get install of Chromium takes minutes
    chromium = await ensureChromium();
    dir = await mkdtemp(join(tmpdir(), 'faultline-browser-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const name of Object.keys(FIXTURES) as FixtureName[]) {
    it(`${name}: opens offline without a console message and is not blank`, async () => {
      const page = join(dir, `${name}.html`);
      await writeFile(page, renderReport(await loadFixture(name)));
      const shot = await screenshot(chromium, page, join(dir, `${name}.png`), join(dir, 'profile'));
      assert.deepEqual(shot.console, [], 'console output');
      await assertNotEmpty(shot.png);
    });
  }

  it('control: a page with a script error or a blocked request is caught', async () => {
    const page = join(dir, 'broken.html');
    await writeFile(
      page,
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"><h1>broken</h1><script>throw new Error('boom')</script><img src="data:image/png;base64,AAAA">`,
    );
    const shot = await screenshot(chromium, page, join(dir, 'broken.png'), join(dir, 'profile'));
    assert.ok(
      shot.console.some((l) => /Uncaught Error: boom/.test(l)),
      shot.console.join('\n'),
    );
    assert.ok(
      shot.console.some((l) => /Content Security Policy/.test(l)),
      shot.console.join('\n'),
    );
  });

  it('control: an empty page is caught', async () => {
    const page = join(dir, 'empty.html');
    await writeFile(page, '<!doctype html><title>empty</title>');
    const shot = await screenshot(chromium, page, join(dir, 'empty.png'), join(dir, 'profile'));
    await assert.rejects(assertNotEmpty(shot.png), /colours|one colour/);
  });
});
