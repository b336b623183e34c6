/** Node services of the topology (the shop app, the embedded Toxiproxy) as child processes. */

import { PROJECT_ROOT } from '../../core/project-root.ts';
import { LocalService } from './local-service.ts';
import type { LocalSession } from './session.ts';

export interface NodeServiceOptions {
  name: string;
  /** Entry point, relative to the project root. */
  script: string;
  args?: string[];
  /** Node flags; TypeScript entry points need tsx. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  ports: Record<string, number>;
  /** The line the process prints once it serves. */
  readyLine: RegExp;
}

export async function startNodeService(
  session: LocalSession,
  options: NodeServiceOptions,
): Promise<LocalService> {
  const service = new LocalService(
    {
      name: options.name,
      command: process.execPath,
      args: [...(options.nodeArgs ?? ['--import', 'tsx']), options.script, ...(options.args ?? [])],
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...options.env },
      ports: options.ports,
      ready: (s, signal) => s.log.waitFor(options.readyLine, signal).then(() => undefined),
    },
    session,
  );
  await service.start();
  return service;
}

/** The embedded Toxiproxy-compatible server in its own process, so proxying never competes with the load generator. */
export function startToxiproxyProcess(session: LocalSession, port: number): Promise<LocalService> {
  return startNodeService(session, {
    name: 'toxiproxy',
    script: 'bin/faultline.js',
    nodeArgs: [],
    args: ['proxy', '--port', `${port}`],
    ports: { api: port },
    readyLine: /listening on http:/,
  });
}
