/**
 * Our open-loop generator (`faultline load`) against autocannon, on one local target in its own
 * process (bench/http-peer.ts), every tool in a child process of its own:
 * 1. max request rate: autocannon (closed loop, as fast as the connections go) vs the highest rate
 *    our generator keeps valid (send-lag check passes, achieved rate within 2% of the target);
 * 2. our generator at 5k req/s: send lag, event-loop delay, CPU and resident memory (VmRSS);
 * 3. a 1 s stall of the target at a fixed rate: what each tool's p99 shows.
 * Loopback only; every child is killed at the end, also on failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { LoadReport } from '../harness/cli/commands/load.ts';

const CONNECTIONS = 64;
const AUTOCANNON = 'node_modules/autocannon/autocannon.js';
const MAX_RATE = { autocannonSeconds: 5, probeSeconds: 4, probes: 6 };
const AT_5K = { rate: 5000, seconds: 10 };
const STALL = { rate: 2000, seconds: 8, afterMs: 3000, ms: 1000 };

const children = new Set<ChildProcess>();

export async function loadBench() {
  const loadBefore = os.loadavg()[0] as number;
  try {
    const peer = await startPeer();
    const autocannonMax = await autocannon(peer, { seconds: MAX_RATE.autocannonSeconds });
    const maxRate = await ourMaxRate(peer, autocannonMax.requests.average);
    const at5k = await ours(peer, AT_5K.rate, AT_5K.seconds);
    await armStall(peer);
    const stallOurs = await ours(peer, STALL.rate, STALL.seconds);
    await armStall(peer);
    const stallAutocannon = await autocannon(peer, { seconds: STALL.seconds, rate: STALL.rate });
    const { report } = at5k;
    return {
      target: `bench/http-peer.ts in its own process on 127.0.0.1, ${CONNECTIONS} keep-alive connections`,
      load_average_before: round(loadBefore, 2),
      max_rate: {
        autocannon_req_per_s: Math.round(autocannonMax.requests.average),
        faultline_req_per_s: maxRate.best,
        ratio: round(maxRate.best / autocannonMax.requests.average, 2),
        faultline_criterion:
          'generator valid (send lag p99 within its limit) and achieved rate within 2% of the target',
        faultline_probes: maxRate.probes,
        aim: 'ratio >= 1.0',
      },
      at_5k: {
        rate: AT_5K.rate,
        duration_s: AT_5K.seconds,
        achieved_req_per_s: round(report.achievedRate),
        valid: report.generator.valid,
        send_lag_ms: report.generator.sendLagMs,
        event_loop_delay_ms: report.generator.eventLoopDelayMs,
        latency_ms: pick(report.latencyMs),
        service_time_ms: pick(report.serviceTimeMs),
        rss_mb: at5k.rssMb,
        cpu_percent_of_one_core: at5k.cpuPercent,
        aim: 'send lag p99 <= 1 ms, RSS <= 300 MB',
      },
      stall: {
        rate: STALL.rate,
        duration_s: STALL.seconds,
        stall_ms: STALL.ms,
        stall_starts_after_ms: STALL.afterMs,
        faultline: {
          requests: stallOurs.report.latencyMs.count,
          ...pick(stallOurs.report.latencyMs),
          p999: stallOurs.report.latencyMs.p999,
        },
        autocannon: {
          requests: stallAutocannon.requests.total,
          p50: stallAutocannon.latency.p50,
          p90: stallAutocannon.latency.p90,
          p99: stallAutocannon.latency.p99,
          p999: stallAutocannon.latency.p99_9,
          max: stallAutocannon.latency.max,
        },
        aim: 'faultline p99 >= ~900 ms (autocannon, closed loop, stops sending while its connections wait)',
      },
    };
  } finally {
    await Promise.all([...children].map(stop));
  }
}

interface Peer {
  url: string;
}

async function startPeer(): Promise<Peer> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', 'bench/http-peer.ts'], { stdio: 'pipe' }));
  child.stderr?.resume();
  let output = '';
  for await (const chunk of child.stdout ?? []) {
    output += chunk;
    const line = /^(\{.*\})$/m.exec(output)?.[1];
    if (line) {
      child.stdout?.resume();
      return JSON.parse(line) as Peer;
    }
  }
  throw new Error(`bench/http-peer.ts exited before it was ready:\n${output}`);
}

/** The target stalls `STALL.ms`, starting `STALL.afterMs` after the next tool's first request. */
async function armStall(peer: Peer): Promise<void> {
  const response = await fetch(`${peer.url}__stall?after=${STALL.afterMs}&ms=${STALL.ms}`);
  await response.text();
}

/** Binary search (geometric) between a rate known to hold and autocannon's rate x 1.2. */
async function ourMaxRate(peer: Peer, autocannonRate: number) {
  const probes: { rate: number; achieved: number; send_lag_p99_ms: number; sustained: boolean }[] = [];
  let low = 1000;
  let high = Math.max(2 * low, autocannonRate * 1.2);
  for (let i = 0; i < MAX_RATE.probes; i++) {
    const rate = Math.round(Math.sqrt(low * high) / 100) * 100;
    const { report } = await ours(peer, rate, MAX_RATE.probeSeconds);
    const sustained = report.generator.valid && report.achievedRate >= rate * 0.98;
    probes.push({
      rate,
      achieved: Math.round(report.achievedRate),
      send_lag_p99_ms: report.generator.sendLagMs.p99,
      sustained,
    });
    if (sustained) low = rate;
    else high = rate;
  }
  const held = probes.filter((p) => p.sustained).map((p) => p.rate);
  return { best: held.length ? Math.max(...held) : 0, probes };
}

/** `faultline load` in a child process, sampling its VmRSS and CPU time while it runs. */
async function ours(peer: Peer, rate: number, seconds: number) {
  const args = ['bin/faultline.js', 'load', peer.url, '--rate', String(rate), '--duration', `${seconds}s`];
  const child = track(
    spawn(process.execPath, [...args, '--connections', String(CONNECTIONS), '--json'], { stdio: 'pipe' }),
  );
  const started = performance.now();
  const rss: number[] = [];
  let cpuTicks = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // it just exited
    }
  }, 100);
  try {
    const stdout = await output(child, (seconds + 30) * 1000);
    const report = JSON.parse(stdout) as LoadReport;
    const wallSeconds = (performance.now() - started) / 1000;
    return {
      report,
      rssMb: { peak: Math.round(Math.max(0, ...rss)), mean: Math.round(mean(rss)) },
      cpuPercent: Math.round((cpuTicks / 100 / wallSeconds) * 100),
    };
  } finally {
    clearInterval(sampler);
  }
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; p99_9: number; max: number };
  errors: number;
  non2xx: number;
}

async function autocannon(peer: Peer, options: { seconds: number; rate?: number }) {
  const args = [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(options.seconds), '--json'];
  if (options.rate) args.push('-R', String(options.rate));
  const child = track(spawn(process.execPath, [...args, peer.url], { stdio: 'pipe' }));
  return JSON.parse(await output(child, (options.seconds + 30) * 1000)) as AutocannonResult;
}

/** stdout of a child that must exit within `timeoutMs` (exit code 3 = our generator fell behind). */
async function output(child: ChildProcess, timeoutMs: number): Promise<string> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (!stdout.trim())
    throw new Error(`${child.spawnargs.join(' ')} exited ${code} without output:\n${stderr}`);
  return stdout;
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

function pick(l: { p50: number; p90: number; p99: number; max: number }) {
  return { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
