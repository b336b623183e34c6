/**
 * The target of the load benchmark, in its own process so it never shares the generator's event
 * loop: a minimal HTTP server answering "ok". `GET /__stall?ms=N` (sent by the benchmark, not the
 * generator) stalls it for N ms: requests arriving meanwhile are held and answered when it ends.
 * Prints its URL as JSON.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

let stalledUntil = 0;
const held: ServerResponse[] = [];

const server = createServer((req, res) => {
  if (req.url?.startsWith('/__stall')) {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 1000);
    stalledUntil = performance.now() + ms;
    setTimeout(() => {
      for (const waiting of held.splice(0)) waiting.end('late');
    }, ms);
    res.end('stalling');
  } else if (performance.now() < stalledUntil) {
    held.push(res);
  } else {
    res.end('ok');
  }
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
