import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { symlinkAtomically, writeAtomically } from './atomic-write.ts';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('writeAtomically', () => {
    it('writes a new file, text or bytes, and leaves nothing else in the directory', async () => {
      await writeAtomically(join(dir, 'a.txt'), 'hello\n');
      await writeAtomically(join(dir, 'b.bin'), new Uint8Array([1, 2, 3]));
      assert.equal(await readFile(join(dir, 'a.txt'), 'utf8'), 'hello\n');
      assert.deepEqual([...(await readFile(join(dir, 'b.bin')))], [1, 2, 3]);
      assert.deepEqual((await readdir(dir)).sort(), ['a.txt', 'b.bin']);
    });

    it('replaces an existing file whole', async () => {
      const file = join(dir, 'result.json');
      await writeFile(file, 'old, and longer than the new text');
      await writeAtomically(file, 'new');
      assert.equal(await readFile(file, 'utf8'), 'new');
      assert.deepEqual(await readdir(dir), ['result.json']);
    });

    it('a failed rename removes the temporary file and rethrows', async () => {
      // A non-empty directory where the file should go: the write succeeds, the rename cannot.
      await mkdir(join(dir, 'taken', 'inside'), { recursive: true });
      await assert.rejects(writeAtomically(join(dir, 'taken'), 'text'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
      assert.deepEqual(await readdir(dir), ['taken']);
    });

    it('a directory that does not exist is an ENOENT error, and nothing is created', async () => {
      await assert.rejects(writeAtomically(join(dir, 'missing', 'x.html'), 'text'), { code: 'ENOENT' });
      assert.deepEqual(await readdir(dir), []);
    });
  });

  describe('symlinkAtomically', () => {
    it('creates the link, then repoints it in place', async () => {
      const link = join(dir, 'latest');
      await symlinkAtomically('run-1', link);
      assert.equal(await readlink(link), 'run-1');
      await symlinkAtomically('run-2', link);
      assert.equal(await readlink(link), 'run-2');
      assert.deepEqual(await readdir(dir), ['latest']);
    });

    it('a failed rename removes the temporary link and rethrows', async () => {
      await mkdir(join(dir, 'latest', 'inside'), { recursive: true });
      await assert.rejects(symlinkAtomically('run-1', join(dir, 'latest')), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
      assert.deepEqual(await readdir(dir), ['latest']);
    });
  });
});
