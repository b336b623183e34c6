/**
 * The embedded Toxiproxy in a process of its own, as the local runtime (and the stand-in Toxiproxy
 * image) starts it: `node --import tsx harness/toxiproxy/serve.ts <port> [host]`. Only the server's
 * modules load (through the whole CLI, as `faultline proxy`, it is ready ~0.7 s later, and every link
 * waits for it). It prints one line once it listens and runs until it is killed.
 */
import { createLogger } from '../core/logger.ts';
import { ToxiproxyServer } from './api-server.ts';

const [port = '', host = '127.0.0.1'] = process.argv.slice(2);
const server = new ToxiproxyServer({ logger: createLogger('info') });
console.log(`Toxiproxy-compatible API listening on ${await server.listen(Number(port), host)}`);
