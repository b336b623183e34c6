/** `faultline up`: starts the topology, prints where everything is, and keeps it up until Ctrl-C. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { createLogger } from '../../core/logger.ts';
import {
  checkRunnable,
  RUNTIME_HELP,
  type RuntimeChoice,
  resolveRuntime,
  runtimeChoices,
  topologyStarter,
} from '../../runtime/runtimes.ts';
import { composeFor } from '../../target/start-target.ts';
import { type AppFlags, appFromFlags, appOptions } from '../app-options.ts';
import { untilSignal } from '../signals.ts';

export interface UpOptions extends AppFlags {
  web?: number;
  cache?: number;
  replicas?: number;
  sessionStore?: 'memory' | 'redis';
  sticky?: boolean;
  mitigation?: string;
  healthInterval?: number;
  healthFall?: number;
  healthRise?: number;
  failover?: 'none' | 'manual' | 'patroni';
  cacheFailover?: 'none' | 'sentinel';
  replication?: 'async' | 'sync';
  json: boolean;
  runtime: RuntimeChoice;
}

export function topologyInput(o: UpOptions): Record<string, unknown> {
  const healthCheck = {
    ...(o.healthInterval === undefined ? {} : { intervalMs: o.healthInterval }),
    ...(o.healthFall === undefined ? {} : { fall: o.healthFall }),
    ...(o.healthRise === undefined ? {} : { rise: o.healthRise }),
  };
  return Object.fromEntries(
    Object.entries({
      web: o.web,
      cache: o.cache,
      replicas: o.replicas,
      sessionStore: o.sessionStore,
      sticky: o.sticky,
      mitigation: o.mitigation,
      healthCheck,
      failover: o.failover === undefined ? undefined : { manager: o.failover },
      cacheFailover: o.cacheFailover === undefined ? undefined : { manager: o.cacheFailover },
      replication: o.replication,
    }).filter(([, v]) => v !== undefined && !(typeof v === 'object' && !Object.keys(v).length)),
  );
}

/** The docker network the topology's containers share, where the runtime has one. */
function networkOf(topology: object): { network?: string } {
  const network = (topology as { network?: unknown }).network;
  return typeof network === 'string' ? { network } : {};
}

export const upCommand: CommandModule<object, UpOptions> = {
  command: 'up',
  describe: 'Start a target’s topology (the shop, or your own app) and keep it running until Ctrl-C',
  builder: (yargs: Argv) =>
    appOptions(yargs)
      .option('web', { type: 'number', describe: 'Web servers behind the LB [default: 3]' })
      .option('cache', { type: 'number', describe: 'Redis cache nodes, 0 for none [default: 2]' })
      .option('replicas', { type: 'number', describe: 'PostgreSQL streaming replicas [default: 2]' })
      .option('session-store', {
        choices: ['memory', 'redis'] as const,
        describe: 'memory = stateful web tier [default: redis]',
      })
      .option('sticky', {
        type: 'boolean',
        describe: 'LB pins clients to a server [default: on for memory sessions]',
      })
      .option('mitigation', {
        type: 'string',
        describe:
          'The shop’s read-your-writes mitigation: none, primary-after-write, lsn, write-through-cache [default: none]',
      })
      .option('health-interval', {
        type: 'number',
        describe: 'HAProxy health check interval, ms [default: 1000]',
      })
      .option('health-fall', {
        type: 'number',
        describe: 'Failed checks before a server is DOWN [default: 3]',
      })
      .option('health-rise', {
        type: 'number',
        describe: 'Passed checks before a server is UP again [default: 2]',
      })
      .option('failover', {
        choices: ['none', 'manual', 'patroni'] as const,
        describe:
          'Who moves the primary when it dies: nobody, the harness as an operator’s runbook, or Patroni with etcd; with a manager, writes go through pg-write [default: none]',
      })
      .option('cache-failover', {
        choices: ['none', 'sentinel'] as const,
        describe:
          'sentinel: each cache node a master and a replica behind HAProxy, three Redis Sentinels promoting the replica [default: none]',
      })
      .option('replication', {
        choices: ['async', 'sync'] as const,
        describe: 'sync: a commit waits for one replica too [default: async]',
      })
      .option('runtime', { choices: runtimeChoices, default: 'auto' as const, describe: RUNTIME_HELP })
      .option('json', { type: 'boolean', default: false, describe: 'Print endpoints and links as JSON' })
      .example('$0 up', '3 web, 2 cache, 2 replicas, Redis sessions')
      .example('$0 up --web 2 --session-store memory', 'the stateful variant with sticky sessions')
      .example('$0 up --failover patroni', 'Patroni on every PostgreSQL node, writes through pg-write')
      .example('$0 up --cache 1 --cache-failover sentinel', 'a cache master with a replica Sentinel promotes')
      .example('$0 up --app-command "python3 app.py" --app-schema schema.sql', 'your own app as the web tier')
      .epilog(
        'Every link is a Toxiproxy proxy named "<from>-><to>"; fault it through the printed API URL.',
      ) as unknown as Argv<UpOptions>,
  handler: async (argv: ArgumentsCamelCase<UpOptions>) => {
    const log = createLogger('info');
    const started = Date.now();
    const app = appFromFlags(argv);
    const composition = await composeFor(topologyInput(argv), {
      ...(argv.target === undefined ? {} : { target: argv.target }),
      ...(app ? { app } : {}),
    });
    const runtime = await resolveRuntime(argv.runtime, { log });
    await checkRunnable(runtime, composition);
    const topology = await topologyStarter(runtime, log)(composition);
    const { endpoints } = topology;
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ runtime, target: composition.target, app: composition.app.label, endpoints, ...networkOf(topology), services: topology.serviceNames, links: topology.linkNames })}\n`,
      );
    } else {
      process.stdout.write(
        [
          `topology up on the ${runtime} runtime in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          `  target         ${composition.target}, web tier ${composition.app.label}`,
          `  site (LB)      ${endpoints.lb}`,
          `  CDN edge       ${endpoints.cdn}${composition.app.staticPrefix}`,
          `  Toxiproxy API  ${endpoints.toxiproxy}   (curl ${endpoints.toxiproxy}/proxies)`,
          `  services       ${topology.serviceNames.join(' ')}`,
          `  links          ${topology.linkNames.length} proxies, e.g. ${topology.linkNames.slice(0, 3).join(', ')}`,
          'Ctrl-C stops everything.',
          '',
        ].join('\n'),
      );
    }
    const signal = await untilSignal();
    log.info(`${signal}: stopping`);
    await topology.stop();
  },
};
