/**
 * Entry point of one web instance: `node --import tsx targets/shop/src/server.ts`, configured by
 * faultline's environment contract (contract.ts). Prints exactly one line on stdout once it serves — the harness waits for it:
 *   shop <name> listening on http://<host>:<port>
 * Exit codes: 0 after a clean SIGTERM/SIGINT shutdown, 1 when it cannot listen or shut down in
 * time, 2 for a bad config (one line on stderr).
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import { type ShopConfig, ShopConfigError } from './config.ts';
import { configFromEnv } from './contract.ts';

/** Past this, shutdown gives up on in-flight work (a frozen backend) and exits anyway. */
const SHUTDOWN_GRACE_MS = 5000;

function loadConfig(): ShopConfig {
  try {
    return configFromEnv(process.env);
  } catch (err) {
    if (!(err instanceof ShopConfigError)) throw err;
    process.stderr.write(`shop: ${err.message}\n`);
    process.exit(2);
  }
}

const config = loadConfig();
const app = await buildApp(config);

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  process.stderr.write(
    `shop ${config.name}: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`,
  );
  await app.close().catch(() => undefined);
  process.exit(1);
}

const { port } = app.server.address() as AddressInfo;
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
process.stdout.write(`shop ${config.name} listening on http://${host}:${port}\n`);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) process.exit(1); // a second signal: the operator does not want to wait
  stopping = true;
  const force = setTimeout(() => {
    process.stderr.write(`shop ${config.name}: shutdown took over ${SHUTDOWN_GRACE_MS} ms, exiting\n`);
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  await app.close();
  process.stderr.write(`shop ${config.name}: stopped (${signal})\n`);
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
