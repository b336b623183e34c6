/** `faultline proxy`: the embedded Toxiproxy-compatible server on its own, like toxiproxy-server. */
import { readFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { usageError } from '../../core/errors.ts';
import { createLogger, type LogLevel, logLevels } from '../../core/logger.ts';
import { ToxiproxyServer } from '../../toxiproxy/api-server.ts';
import { untilSignal } from '../signals.ts';

export interface ProxyOptions {
  host: string;
  port: number;
  config?: string;
  seed?: number;
  logLevel: LogLevel;
}

/** Starts the server, populates it from `config`, and returns it running. */
export async function startProxyServer(
  options: ProxyOptions,
): Promise<{ server: ToxiproxyServer; url: string }> {
  const log = createLogger(options.logLevel);
  const proxies = options.config === undefined ? undefined : await readConfig(options.config);
  const server = new ToxiproxyServer({ seed: options.seed, logger: log });
  let url: string;
  try {
    url = await server.listen(options.port, options.host);
  } catch (err) {
    throw listenError(err as NodeJS.ErrnoException, options);
  }
  log.info(`Toxiproxy-compatible API listening on ${url}`);
  if (proxies !== undefined) {
    try {
      const created = await server.populate(proxies);
      log.info(`populated ${created.length} proxies from ${options.config}`);
    } catch (err) {
      await server.close();
      throw usageError(
        'proxy.config',
        `cannot populate proxies from ${options.config}: ${(err as Error).message}`,
        'fix the listed proxy and start again',
      );
    }
  }
  return { server, url };
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw usageError(
      'proxy.config',
      `cannot read --config ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      'give the path of a JSON file',
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(
      'proxy.config',
      `--config ${path} is not valid JSON: ${(err as Error).message}`,
      'it must be a JSON array of {name, listen, upstream[, enabled]}',
    );
  }
}

function listenError(err: NodeJS.ErrnoException, options: ProxyOptions) {
  const where = `${options.host}:${options.port}`;
  if (err.code === 'EADDRINUSE') {
    return usageError(
      'proxy.listen',
      `cannot listen on ${where}: address already in use`,
      'stop the other server or pick another --port',
    );
  }
  return usageError(
    'proxy.listen',
    `cannot listen on ${where}: ${err.code ?? err.message}`,
    'check --host and --port',
  );
}

export const proxyCommand: CommandModule<object, ProxyOptions> = {
  command: 'proxy',
  describe: 'Run the embedded Toxiproxy-compatible server (HTTP API on --host:--port)',
  builder: (yargs: Argv) =>
    yargs
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address the API listens on' })
      .option('port', { type: 'number', default: 8474, describe: 'Port of the API (0 picks a free one)' })
      .option('config', {
        type: 'string',
        describe: 'JSON file of proxies to create at start, as for POST /populate',
      })
      .option('seed', { type: 'number', describe: 'Seed for toxicity and jitter randomness' })
      .option('log-level', {
        choices: logLevels,
        default: 'info' as LogLevel,
        describe: 'debug logs every API call',
      })
      .check((argv) => {
        if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) {
          throw new Error(`--port must be a whole number from 0 to 65535, got ${argv.port}`);
        }
        return true;
      })
      .example('$0 proxy', 'API on http://127.0.0.1:8474, like toxiproxy-server')
      .example('$0 proxy --port 0 --config proxies.json', 'free port, proxies created at start')
      .epilog(
        'Drive it with any Toxiproxy client or curl, e.g. curl localhost:8474/proxies',
      ) as unknown as Argv<ProxyOptions>,
  handler: async (argv: ArgumentsCamelCase<ProxyOptions>) => {
    const { server } = await startProxyServer(argv);
    const signal = await untilSignal();
    await server.close();
    createLogger(argv.logLevel).info(`stopped on ${signal}`);
  },
};
