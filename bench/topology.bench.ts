/**
 * Cold start and stop of the default topology of each target (the shop and pyshop, side by side) on
 * each runtime: wall time (median of several runs) and the resident memory of all its services
 * together (process groups on the local runtime, the containers' memory on docker). The docker runtime
 * is measured when an engine answers (its images already present: pulls and builds are not timed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { DockerService } from '../harness/runtime/docker/docker-service.ts';
import { startDockerTopology } from '../harness/runtime/docker/docker-topology.ts';
import { connectEngine } from '../harness/runtime/docker/engine.ts';
import { startLocalTopology } from '../harness/runtime/local/local-topology.ts';
import type { StartReport } from '../harness/runtime/start-graph.ts';
import { composeFor } from '../harness/target/start-target.ts';

const RUNS = 3;
const TARGETS = ['shop', 'pyshop'];

/** Sum of VmRSS (bytes) over every process whose process group is one of `groups`. */
function rssOfGroups(groups: Set<number>): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (!groups.has(pgrp)) continue;
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** Where a start's time went: the chain of waits that decided it. */
function longestChain(report: StartReport | undefined): string[] {
  return (report?.chain ?? []).map((s) => `${s.step} ${s.ms} ms`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function localBench(target: string) {
  const up: number[] = [];
  const down: number[] = [];
  let peakRss = 0;
  let chain: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const topology = await startLocalTopology(await composeFor({}, { target }));
    up.push(performance.now() - started);
    chain = longestChain(topology.startReport);
    const groups = new Set(topology.processGroups());
    for (let i = 0; i < 5; i++) {
      peakRss = Math.max(peakRss, rssOfGroups(groups));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stopping = performance.now();
    await topology.stop();
    down.push(performance.now() - stopping);
  }
  return {
    up_ms: { median: Math.round(median(up)), all: up.map(Math.round) },
    down_ms: { median: Math.round(median(down)), all: down.map(Math.round) },
    peak_rss_mb_all_services: Math.round(peakRss / 1024 / 1024),
    longest_chain_last_run: chain,
    aim: 'up <= 3000 ms, down <= 1000 ms on 2 cores',
  };
}

async function dockerBench(target: string) {
  const engine = await connectEngine().catch((err: Error) => err);
  if (engine instanceof Error) return { skipped: engine.message };
  const up: number[] = [];
  const down: number[] = [];
  let peakRss = 0;
  let chain: string[] = [];
  // A target's own image is built on its first start: that one is not timed.
  await (await startDockerTopology(await composeFor({ web: 1, cache: 0, replicas: 1 }, { target }))).stop();
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const topology = await startDockerTopology(await composeFor({}, { target }));
    up.push(performance.now() - started);
    chain = longestChain(topology.startReport);
    const containers = topology.serviceNames.map((name) => topology.service(name) as DockerService);
    const usage = await Promise.all(
      containers.map((c) =>
        engine.docker
          .getContainer(c.id)
          .stats({ stream: false })
          .then(
            (s) => Number(s.memory_stats?.usage ?? 0) - Number(s.memory_stats?.stats?.inactive_file ?? 0),
          ),
      ),
    );
    peakRss = Math.max(
      peakRss,
      usage.reduce((a, b) => a + b, 0),
    );
    const stopping = performance.now();
    await topology.stop();
    down.push(performance.now() - stopping);
  }
  return {
    engine: `Docker ${engine.version}`,
    up_ms: { median: Math.round(median(up)), all: up.map(Math.round) },
    down_ms: { median: Math.round(median(down)), all: down.map(Math.round) },
    memory_mb_all_containers: Math.round(peakRss / 1024 / 1024),
    longest_chain_last_run: chain,
    aim: 'up <= 5000 ms, down <= 5000 ms on 2 cores',
  };
}

export async function topologyBench() {
  const targets: Record<string, unknown> = {};
  for (const target of TARGETS)
    targets[target] = { local: await localBench(target), docker: await dockerBench(target) };
  return { topology: 'default (3 web, 2 cache, 2 replicas, redis sessions)', runs: RUNS, targets };
}
