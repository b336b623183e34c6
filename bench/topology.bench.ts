/**
 * Cold start and stop of the default shop topology on each runtime: wall time (median of several
 * runs); on the local runtime also the peak resident memory of all its processes together. The docker
 * runtime is measured when an engine answers (its images already present: pulls are not timed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startDockerTopology } from '../harness/runtime/docker/docker-topology.ts';
import { connectEngine } from '../harness/runtime/docker/engine.ts';
import { startLocalTopology } from '../harness/runtime/local/local-topology.ts';
import { composeFor } from '../harness/target/start-target.ts';

const RUNS = 3;

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function localBench() {
  const up: number[] = [];
  const down: number[] = [];
  let peakRss = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const topology = await startLocalTopology(await composeFor({}));
    up.push(performance.now() - started);
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
    aim: 'up <= 5000 ms, down <= 1000 ms on 2 cores',
  };
}

async function dockerBench() {
  const engine = await connectEngine().catch((err: Error) => err);
  if (engine instanceof Error) return { skipped: engine.message };
  const up: number[] = [];
  const down: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const topology = await startDockerTopology(await composeFor({}));
    up.push(performance.now() - started);
    const stopping = performance.now();
    await topology.stop();
    down.push(performance.now() - stopping);
  }
  return {
    engine: `Docker ${engine.version}`,
    up_ms: { median: Math.round(median(up)), all: up.map(Math.round) },
    down_ms: { median: Math.round(median(down)), all: down.map(Math.round) },
    aim: 'up <= 20000 ms, down <= 5000 ms on 2 cores',
  };
}

export async function topologyBench() {
  return {
    topology: 'default (3 web, 2 cache, 2 replicas, redis sessions)',
    runs: RUNS,
    local: await localBench(),
    docker: await dockerBench(),
  };
}
