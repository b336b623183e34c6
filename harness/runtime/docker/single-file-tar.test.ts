import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { singleFileTar } from './single-file-tar.ts';

describe('singleFileTar', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-tar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is an archive GNU tar extracts to the same file, content and mode', () => {
    const content = Buffer.from(`body { color: red }\n/* ${'x'.repeat(700)} */\n`);
    writeFileSync(join(dir, 'a.tar'), singleFileTar('app.css', content));
    execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
    assert.deepEqual(readFileSync(join(dir, 'app.css')), content);
    assert.equal(statSync(join(dir, 'app.css')).mode & 0o777, 0o644);
  });

  it('holds an empty file, and refuses a name ustar cannot', () => {
    writeFileSync(join(dir, 'b.tar'), singleFileTar('empty.txt', Buffer.alloc(0)));
    assert.equal(execFileSync('tar', ['-tvf', 'b.tar'], { cwd: dir }).toString().includes('empty.txt'), true);
    assert.throws(() => singleFileTar('n'.repeat(101), Buffer.alloc(1)), /longer than 100 bytes/);
  });
});
