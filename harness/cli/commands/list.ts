/** `faultline list`: the experiments and the fault kinds there are. */
import type { CommandModule } from 'yargs';
import { loadExperiments } from '../../experiment/catalog.ts';
import { faultKinds } from '../../faults/registry.ts';

export const listCommandModule: CommandModule = {
  command: 'list',
  describe: 'List the experiments (with their variants) and the fault kinds',
  handler: async () => {
    const lines = ['Experiments (faultline run <name>):'];
    for (const e of await loadExperiments()) {
      lines.push(`  ${e.name.padEnd(20)} ${e.description}`);
      if (e.variants.length)
        lines.push(`  ${''.padEnd(20)} variants: ${e.variants.map((v) => v.name).join(', ')}`);
    }
    lines.push('', 'Fault kinds:');
    for (const kind of faultKinds.values()) lines.push(`  ${kind.kind.padEnd(20)} ${kind.description}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
