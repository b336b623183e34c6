/**
 * Embedded proxy overhead on loopback, against a direct connection in the same run: bulk throughput
 * and the round-trip time added to 1-byte ping-pong. Client (this process), proxy (`faultline proxy`)
 * and peer (bench/peer.ts) each run in their own process, as they do in a real topology.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { connect } from '../test/helpers/tcp.ts';

const MiB = 1024 * 1024;
const BULK_BYTES = 1024 * MiB;
const BULK_RUNS = 3;
const PINGS = 20_000;

export async function proxyBench() {
  const peer = await startChild(['--import', 'tsx', 'bench/peer.ts'], 'stdout', /^(\{.*\})$/m);
  const proxyProcess = await startChild(
    ['bin/faultline.js', 'proxy', '--port', '0'],
    'stderr',
    /listening on (http:\S+)/,
  );
  try {
    const { echo, sink } = JSON.parse(peer.match) as { echo: string; sink: string };
    const api = new Toxiproxy(proxyProcess.match);
    {
      const bulkProxy = await api.createProxy({ name: 'bulk', listen: '127.0.0.1:0', upstream: sink });
      const pingProxy = await api.createProxy({ name: 'ping', listen: '127.0.0.1:0', upstream: echo });
      const direct = await median(BULK_RUNS, () => bulkThroughput(sink));
      const proxied = await median(BULK_RUNS, () => bulkThroughput(bulkProxy.listen));
      const rttDirect = await pingPong(echo);
      const rttProxied = await pingPong(pingProxy.listen);
      return {
        throughput: {
          bytes_per_run: BULK_BYTES,
          runs: BULK_RUNS,
          direct_MB_per_s: round(direct),
          proxy_MB_per_s: round(proxied),
          ratio: round(proxied / direct, 3),
          aim: 'proxy >= 1000 MB/s or ratio >= 0.3',
        },
        ping_pong_rtt_us: {
          pings: PINGS,
          direct: rttDirect,
          proxy: rttProxied,
          added_p50: round(rttProxied.p50 - rttDirect.p50),
          added_p99: round(rttProxied.p99 - rttDirect.p99),
          aim: 'added p50 <= 40 us, added p99 <= 150 us',
        },
      };
    }
  } finally {
    for (const { child } of [proxyProcess, peer]) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}

/** Spawns a node process and waits for `pattern` in its output; `match` is the first group. */
async function startChild(args: string[], stream: 'stdout' | 'stderr', pattern: RegExp) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const other = stream === 'stdout' ? child.stderr : child.stdout;
  other.resume();
  let output = '';
  for await (const chunk of child[stream]) {
    output += chunk;
    const match = pattern.exec(output)?.[1];
    if (match) {
      child[stream].resume();
      return { child, match };
    }
  }
  throw new Error(`${args.join(' ')} exited before it was ready:\n${output}`);
}

/** Writes BULK_BYTES as fast as the socket takes them; MB/s until the sink side closes. */
async function bulkThroughput(address: string): Promise<number> {
  const socket = await connect(address);
  const block = Buffer.alloc(MiB, 0x5a);
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < BULK_BYTES; sent += block.length) {
    if (!socket.write(block)) await once(socket, 'drain');
  }
  socket.end();
  await once(socket, 'close');
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return BULK_BYTES / MiB / seconds;
}

async function pingPong(address: string) {
  const socket: Socket = await connect(address);
  socket.setNoDelay(true);
  const samples = new Float64Array(PINGS);
  const one = Buffer.from([1]);
  for (let i = 0; i < PINGS; i++) {
    const start = process.hrtime.bigint();
    socket.write(one);
    await once(socket, 'data');
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  socket.destroy();
  samples.sort();
  const at = (q: number) => round(samples[Math.min(PINGS - 1, Math.floor(q * PINGS))] as number);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(samples[PINGS - 1] as number) };
}

async function median(runs: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await measure());
  values.sort((a, b) => a - b);
  return values[Math.floor(runs / 2)] as number;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
