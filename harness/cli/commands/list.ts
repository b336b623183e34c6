/** `faultline list`: the experiments, the fault kinds, the executors and workloads there are. */
import type { CommandModule } from 'yargs';
import type { z } from 'zod';
import { loadExperiments } from '../../experiment/catalog.ts';
import { faultKinds } from '../../faults/registry.ts';
import { executorKinds } from '../../load/executors/registry.ts';
import { workloadKinds } from '../../load/workloads/registry.ts';

/** "rate, arrivals=uniform": an options schema's fields, each with its default when it has one. */
export function optionsLine(options: z.ZodObject): string {
  const fields = Object.entries(options.shape).map(([name, field]) => {
    const def = (field as z.ZodType).def as { type: string; defaultValue?: unknown };
    if (def.type === 'optional') return `${name}?`;
    if (def.type !== 'default') return name;
    const value = def.defaultValue;
    return `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  });
  return fields.length ? `options: ${fields.join(', ')}` : 'no options';
}

function kindLines(kinds: Iterable<{ name: string; description: string; options: z.ZodObject }>): string[] {
  return [...kinds].flatMap((k) => [
    `  ${k.name.padEnd(22)} ${k.description}`,
    `  ${''.padEnd(22)} ${optionsLine(k.options)}`,
  ]);
}

export const listCommandModule: CommandModule = {
  command: 'list',
  describe: 'List the experiments (with their variants), fault kinds, load executors and workloads',
  handler: async () => {
    const lines = ['Experiments (faultline run <name>):'];
    for (const e of await loadExperiments()) {
      lines.push(`  ${e.name.padEnd(20)} ${e.description}`);
      if (e.variants.length)
        lines.push(`  ${''.padEnd(20)} variants: ${e.variants.map((v) => v.name).join(', ')}`);
    }
    lines.push('', 'Fault kinds:');
    for (const kind of faultKinds.values()) lines.push(`  ${kind.kind.padEnd(20)} ${kind.description}`);
    lines.push('', 'Executors (load.executor; defaults in ms; an experiment’s phases give `duration`):');
    lines.push(...kindLines(executorKinds.values()));
    lines.push('', 'Workloads (load.workload):', ...kindLines(workloadKinds.values()));
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
