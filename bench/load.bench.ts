/**
 * Our open-loop generator (`faultline load`) against autocannon, on one local target in its own
 * process (bench/http-peer.ts), every tool in a child process of its own:
 * 1. max request rate: autocannon (closed loop, as fast as the connections go) vs the highest rate
 *    our generator keeps valid (send-lag check passes, achieved rate within 2% of the target), with
 *    one generator thread and with two (--workers 2);
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
const MAX_RATE = { autocannonSeconds: 5, probeSeconds: 8, probes: 5 };
// 30 s: long enough that start-up (connections, JIT, heap growth) does not decide the p99.
const AT_5K = { rate: 5000, seconds: 30 };
const STALL = { rate: 2000, seconds: 6, afterMs: 2000, ms: 1000 };

const children = new Set<ChildProcess>();

export async function loadBench() {
  const [loadBefore = 0] = os.loadavg();
  try {
    const peer = await startPeer();
    const autocannonMax = await autocannon(peer, { seconds: MAX_RATE.autocannonSeconds });
    const maxRate = await ourMaxRate(peer, autocannonMax.requests.average);
    const maxRateTwoWorkers = await ourMaxRate(peer, autocannonMax.requests.average, ['--workers', '2']);
    const at5k = await ours(peer, AT_5K.rate, AT_5K.seconds);
    const at5kPrecise = await ours(peer, AT_5K.rate, AT_5K.seconds, ['--precise']);
    await armStall(peer);
    const stallOurs = (await ours(peer, STALL.rate, STALL.seconds)).report;
    await armStall(peer);
    const stallClosedLoop = await autocannon(peer, { seconds: STALL.seconds, rate: STALL.rate, raw: true });
    await armStall(peer);
    const stallCorrected = await autocannon(peer, { seconds: STALL.seconds, rate: STALL.rate });
    return {
      target: `bench/http-peer.ts in its own process on 127.0.0.1, ${CONNECTIONS} keep-alive connections`,
      // Other work on the machine (CI, other sessions) shows up as send lag: noted before and after.
      load_average: { before: round(loadBefore, 2), after: round(os.loadavg()[0] ?? 0, 2) },
      max_rate: {
        autocannon_req_per_s: Math.round(autocannonMax.requests.average),
        faultline_req_per_s: maxRate.best,
        ratio: round(maxRate.best / autocannonMax.requests.average, 2),
        faultline_criterion:
          'generator valid (send lag p99 within its limit) and achieved rate within 2% of the target',
        faultline_probes: maxRate.probes,
        aim: 'ratio >= 1.0',
      },
      // Generator threads (--workers): the same search with two; the target shares the same cores.
      max_rate_by_workers: {
        one_req_per_s: maxRate.best,
        two_req_per_s: maxRateTwoWorkers.best,
        cores: os.cpus().length,
        two_probes: maxRateTwoWorkers.probes,
      },
      at_5k: at5kReport(at5k),
      at_5k_precise: at5kReport(at5kPrecise),
      stall: {
        rate: STALL.rate,
        duration_s: STALL.seconds,
        stall_ms: STALL.ms,
        stall_starts_after_ms: STALL.afterMs,
        faultline_ms: {
          requests: stallOurs.latencyMs.count,
          ...pick(stallOurs.latencyMs),
          p999: stallOurs.latencyMs.p999,
        },
        // -C: what its connections saw. Closed loop: while all of them wait, nothing else is sent.
        autocannon_closed_loop_ms: autocannonLatency(stallClosedLoop),
        // Its default with -R: every response also back-fills synthetic samples at an "expected
        // interval" of ceil(1 / per-connection rate), i.e. 1 ms instead of 1000/31 ms here, so it
        // over-counts slow responses (compare latency_samples with requests).
        autocannon_corrected_ms: autocannonLatency(stallCorrected),
        aim: 'faultline p99 >= ~900 ms',
      },
    };
  } finally {
    await Promise.all([...children].map(stop));
  }
}

interface Peer {
  url: string;
  pid: number | undefined;
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
      return { url: (JSON.parse(line) as { url: string }).url, pid: child.pid };
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
async function ourMaxRate(peer: Peer, autocannonRate: number, extra: string[] = []) {
  const probes: {
    rate: number;
    achieved: number;
    send_lag_p99_ms: number;
    sustained: boolean;
    cpu_percent?: ReturnType<typeof cpuShares>;
  }[] = [];
  let low = 1000;
  let high = Math.max(2 * low, autocannonRate * 1.2);
  for (let i = 0; i < MAX_RATE.probes; i++) {
    const rate = Math.round(Math.sqrt(low * high) / 100) * 100;
    const { report, cpu } = await ours(peer, rate, MAX_RATE.probeSeconds, extra);
    const sustained = report.generator.valid && report.achievedRate >= rate * 0.98;
    probes.push({
      rate,
      achieved: Math.round(report.achievedRate),
      send_lag_p99_ms: report.generator.sendLagMs.p99,
      sustained,
      cpu_percent: cpu,
    });
    if (sustained) low = rate;
    else high = rate;
  }
  const held = probes.filter((p) => p.sustained).map((p) => p.rate);
  return { best: held.length ? Math.max(...held) : 0, probes };
}

/**
 * `faultline load` in a child process, sampling its VmRSS while it runs, and the CPU time of it, of
 * the target and of everything else on the machine once it is past start-up.
 */
function at5kReport({ report, rssMb, cpu }: Awaited<ReturnType<typeof ours>>) {
  return {
    rate: AT_5K.rate,
    duration_s: AT_5K.seconds,
    achieved_req_per_s: round(report.achievedRate),
    valid: report.generator.valid,
    send_lag_ms: report.generator.sendLagMs,
    event_loop_delay_ms: report.generator.eventLoopDelayMs,
    latency_ms: pick(report.latencyMs),
    service_time_ms: pick(report.serviceTimeMs),
    rss_mb: rssMb,
    // After start-up; "others" is everything else on the machine (it competes for 2 cores).
    cpu_percent_of_one_core: cpu,
    aim: 'send lag p99 <= 1 ms, RSS <= 300 MB',
  };
}

async function ours(peer: Peer, rate: number, seconds: number, extra: string[] = []) {
  const args = [
    'bin/faultline.js',
    'load',
    peer.url,
    '--rate',
    String(rate),
    '--duration',
    `${seconds}s`,
    ...extra,
  ];
  const child = track(
    spawn(process.execPath, [...args, '--connections', String(CONNECTIONS), '--json'], { stdio: 'pipe' }),
  );
  const started = performance.now();
  const rss: number[] = [];
  let first: Ticks | undefined;
  let last: Ticks | undefined;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      if (performance.now() - started < 2000) return; // start-up: tsx, module loading
      last = { generator: cpuTicks(child.pid), target: cpuTicks(peer.pid), ...machineTicks() };
      first ??= last;
    } catch {
      // it just exited
    }
  }, 100);
  try {
    const report = JSON.parse(await output(child, (seconds + 30) * 1000)) as LoadReport;
    return {
      report,
      rssMb: { peak: Math.round(Math.max(0, ...rss)), mean: Math.round(mean(rss)) },
      cpu: cpuShares(first, last),
    };
  } finally {
    clearInterval(sampler);
  }
}

interface Ticks {
  generator: number;
  target: number;
  busy: number;
  all: number;
}

/** utime + stime of a process, in clock ticks (1/100 s). */
function cpuTicks(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy and total clock ticks of the whole machine (all CPUs). */
function machineTicks(): { busy: number; all: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
  const ticks = values.map(Number);
  const all = ticks.reduce((a, b) => a + b, 0);
  return { busy: all - (ticks[3] ?? 0) - (ticks[4] ?? 0), all };
}

/** Percent of one core used by the generator, the target and everything else between two samples. */
function cpuShares(first: Ticks | undefined, last: Ticks | undefined) {
  if (!first || !last || last.all === first.all) return undefined;
  const oneCore = (last.all - first.all) / os.cpus().length;
  const share = (ticks: number) => Math.round((ticks / oneCore) * 100);
  const generator = last.generator - first.generator;
  const target = last.target - first.target;
  return {
    generator: share(generator),
    target: share(target),
    // Machine totals are tick-sampled, per-process times are not: "others" is approximate (±10).
    others: Math.max(0, share(last.busy - first.busy - generator - target)),
  };
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; p99_9: number; max: number; totalCount: number };
}

/** autocannon in a child process; with `rate`, -R (and -C when `raw`: no latency correction). */
async function autocannon(peer: Peer, options: { seconds: number; rate?: number; raw?: boolean }) {
  const args = [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(options.seconds), '--json'];
  if (options.rate) args.push('-R', String(options.rate));
  if (options.raw) args.push('-C');
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

function autocannonLatency({ requests, latency }: AutocannonResult) {
  const { p50, p90, p99, p99_9: p999, max, totalCount } = latency;
  return { requests: requests.total, latency_samples: totalCount, p50, p90, p99, p999, max };
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
