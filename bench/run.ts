/**
 * `npm run bench [-- names...]`: runs the benchmarks, prints their JSON and writes each to
 * bench/results/<name>.json. Benchmarks measure; they never pass or fail.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { failoverBench } from './failover.bench.ts';
import { loadBench } from './load.bench.ts';
import { proxyBench } from './proxy.bench.ts';
import { stampedeBench } from './stampede.bench.ts';
import { suiteBench } from './suite.bench.ts';
import { topologyBench } from './topology.bench.ts';

const benches: Record<string, () => Promise<unknown>> = {
  proxy: proxyBench,
  topology: topologyBench,
  suite: suiteBench,
  load: loadBench,
  failover: failoverBench,
  stampede: stampedeBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length) {
  process.stderr.write(
    `bench: unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}\n`,
  );
  process.exit(2);
}
await mkdir('bench/results', { recursive: true });
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  process.stderr.write(`bench: ${name}...\n`);
  const started = new Date();
  const result = {
    bench: name,
    at: started.toISOString(),
    environment: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      platform: process.platform,
    },
    ...((await (benches[name] as () => Promise<object>)()) as object),
  };
  const text = `${JSON.stringify(result, null, 2)}\n`;
  await writeFile(`bench/results/${name}.json`, text);
  process.stdout.write(text);
}
