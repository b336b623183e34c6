/**
 * A user's own project in a temp dir that installed this checkout as `faultline`, as
 * `npm install <path>` does: node_modules/faultline is a symlink to the checkout, and
 * node_modules/.bin/faultline links its CLI. @types/node is linked too, as a TypeScript user has it.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../harness/core/project-root.ts';

export interface UserProject extends AsyncDisposable {
  dir: string;
  /** Writes a file of the project and returns its absolute path. */
  write(path: string, text: string): Promise<string>;
}

export async function createUserProject({ type }: { type?: 'module' } = {}): Promise<UserProject> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-user-project-'));
  const project: UserProject = {
    dir,
    async write(path, text) {
      const file = join(dir, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
  try {
    const pkg = { name: 'my-chaos', version: '1.0.0', private: true, ...(type ? { type } : {}) };
    await project.write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
    await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
    await mkdir(join(dir, 'node_modules', '@types'), { recursive: true });
    await symlink(PROJECT_ROOT, join(dir, 'node_modules', 'faultline'), 'dir');
    await symlink('../faultline/bin/faultline.js', join(dir, 'node_modules', '.bin', 'faultline'));
    await symlink(
      join(PROJECT_ROOT, 'node_modules', '@types', 'node'),
      join(dir, 'node_modules', '@types', 'node'),
    );
  } catch (err) {
    await project[Symbol.asyncDispose]();
    throw err;
  }
  return project;
}

/**
 * A short real experiment as a user writes it, importing only 'faultline': a cache node dies under
 * browsing (the shape of experiments/cache-node-loss.experiment.ts, phases of 1-2 s).
 */
export function userExperimentSource(name: string): string {
  return `import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: '${name}',
  description: 'A cache node dies: reads fall through to the database instead of failing.',
  topology: { web: 1, cache: 2, replicas: 1 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 50 },
    workload: { workload: 'browse', products: 50 },
  },
  phases: { warmup: '1s', baseline: '1s', fault: '2s', recovery: '1s' },
  faults: [{ kind: 'cache-node-loss', node: 'cache-1' }],
  hypotheses: ['error-rate < 5% during fault'],
});
`;
}

/**
 * The TypeScript example under README.md's heading `heading` (its first ```ts block), as a user
 * copies it into their project: a spec running it proves the README's example works.
 */
export function readmeExample(heading: string): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const at = readme.search(new RegExp(`^#+ ${heading}$`, 'm'));
  const block = at < 0 ? null : /^```ts\n([\s\S]*?)^```$/m.exec(readme.slice(at));
  if (!block?.[1]) throw new Error(`README.md has no \`\`\`ts example under "${heading}"`);
  return block[1];
}
