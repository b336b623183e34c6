/** Runs a load spec in this thread against real servers on loopback and collects its samples. */
import { type LoadSpecInput, loadSchema } from '../../harness/load/load-spec.ts';
import type { Targets } from '../../harness/load/operation.ts';
import { type LoadResult, runLoad } from '../../harness/load/run-load.ts';
import type { Sample } from '../../harness/samples/sample.ts';
import { SampleBus } from '../../harness/samples/sample-bus.ts';

/** `input` without a workload runs http-get of `/`; `targets` a URL for both the LB and the CDN. */
export async function loadAgainst(
  targets: string | Targets,
  input: Partial<LoadSpecInput> & Pick<LoadSpecInput, 'executor'>,
  seed = 1,
): Promise<{ samples: Sample[]; result: LoadResult }> {
  const spec = loadSchema.parse({ workload: { workload: 'http-get', path: '/' }, ...input });
  const bus = new SampleBus();
  const samples: Sample[] = [];
  bus.subscribe((s) => samples.push(s));
  const both = typeof targets === 'string' ? { lb: targets, cdn: targets } : targets;
  const result = await runLoad(spec, { targets: both, bus, seed });
  return { samples, result };
}
