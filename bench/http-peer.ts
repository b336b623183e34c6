/**
 * The target of the load benchmark, in its own process so it never shares the generator's event
 * loop: a minimal HTTP server answering "ok". Prints its URL as JSON.
 *
 * `GET /__stall?after=A&ms=M` (sent by the benchmark, not the load tool) arms a stall: it begins A ms
 * after the next ordinary request (so at the same point of every tool's run, whatever its start-up
 * time) and lasts M ms; requests arriving meanwhile are held and answered when it ends.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

let armed: { after: number; ms: number } | undefined;
let stallFrom = Number.POSITIVE_INFINITY;
let stallUntil = 0;
const held: ServerResponse[] = [];

const server = createServer((req, res) => {
  if (req.url?.startsWith('/__stall')) {
    const query = new URL(req.url, 'http://peer').searchParams;
    armed = { after: Number(query.get('after') ?? 0), ms: Number(query.get('ms') ?? 1000) };
    res.end('armed');
    return;
  }
  const now = performance.now();
  if (armed) {
    stallFrom = now + armed.after;
    stallUntil = stallFrom + armed.ms;
    setTimeout(() => {
      for (const waiting of held.splice(0)) waiting.end('late');
    }, stallUntil - now);
    armed = undefined;
  }
  if (now >= stallFrom && now < stallUntil) held.push(res);
  else res.end('ok');
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
