/**
 * `faultline list`: the experiments, fault kinds, metrics, executors, workloads, targets and the target's
 * services and links, short and grouped; `--json` prints the same model (catalog-model.ts) whole.
 */
import type { CommandModule } from 'yargs';
import { type FieldDescription, fieldSummary } from '../../core/describe-schema.ts';
import {
  acceptsText,
  type CatalogModel,
  catalogModel,
  changeText,
  type KindModel,
} from '../catalog-model.ts';

/** One entry of a section: its name, and lines below it lined up with the first. */
type Entry = [name: string, ...lines: string[]];

function section(title: string, entries: Entry[]): string[] {
  const width = Math.max(...entries.map(([name]) => name.length));
  const rows = entries.flatMap(([name, ...lines]) =>
    lines.map((l, i) => `  ${(i ? '' : name).padEnd(width)}  ${l}`),
  );
  return [title, ...rows, ''];
}

const fields = (label: string, list: FieldDescription[]) =>
  list.length ? `${label}: ${list.map(fieldSummary).join(', ')}` : `no ${label}`;
const kindEntries = (kinds: KindModel[]): Entry[] =>
  kinds.map((k) => [k.name, k.description, fields('options', k.options)]);

/** Links grouped by where they start: "web-1 -> pg-primary, pg-replica-1, ...". */
function linkEntries(links: string[]): Entry[] {
  const from = new Map<string, string[]>();
  for (const link of links) {
    const [a = link, b = ''] = link.split('->');
    from.set(a, [...(from.get(a) ?? []), b]);
  }
  return [...from].map(([a, to]) => [`${a} ->`, to.join(', ')]);
}

/** The catalogue as `faultline list` prints it. */
export function listText(model: CatalogModel): string {
  const { topology } = model;
  const lines = [
    ...section(
      'Experiments (faultline run <name>):',
      model.experiments.map((e) => [
        e.name,
        e.description,
        ...(e.variants.length ? [`variants: ${e.variants.map((v) => v.name).join(', ')}`] : []),
      ]),
    ),
    ...section(
      'Fault kinds (faults: [{ kind, ...params }]; durations in ms or "1.5s"):',
      model.faults.map((f) => [
        f.kind,
        f.description,
        fields('params', f.params),
        ...f.targets.map((t) => `acts on ${t.param ? `\`${t.param}\`: ` : ''}${acceptsText(t, topology)}`),
      ]),
    ),
    ...section(
      'Metrics (hypotheses: "<metric> < <threshold> [during <phase>]"):',
      model.metrics.map((m) => [
        m.name,
        `${m.description} (${m.unit}, per ${m.scope}${m.checker ? `; checker ${m.checker}` : ''})`,
      ]),
    ),
    ...section(
      'Executors (load.executor; an experiment’s phases give `duration`):',
      kindEntries(model.executors),
    ),
    ...section('Workloads (load.workload):', kindEntries(model.workloads)),
    ...section('Targets (target, or --target; options: topology):', kindEntries(model.targets)),
    ...section(`Topology (target ${topology.target}, default options):`, [
      ['services', topology.services.join(', ')],
      ...linkEntries(topology.links),
      ['options', ...topology.changes.map(changeText)],
    ]),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

export const listCommandModule: CommandModule<object, { json: boolean }> = {
  command: 'list',
  describe: 'List the experiments, fault kinds, metrics, executors, workloads, targets and the topology',
  builder: (y) =>
    y.option('json', { type: 'boolean', default: false, describe: 'Print everything as one JSON object' }),
  handler: async ({ json }) => {
    const model = await catalogModel();
    process.stdout.write(json ? `${JSON.stringify(model, null, 2)}\n` : listText(model));
  },
};
