/**
 * A web-app instance on the local runtime: the app's command in its own process group, with the
 * contract's environment, ready once GET <healthPath> answers 2xx. A command that cannot be found is
 * a usage error before anything starts; one that exits or never turns healthy fails the start with
 * its instance name and last log lines.
 */
import { accessSync, constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Composition } from '../../components/composition.ts';
import { contractEnv, type LocalApp } from '../../components/web-app.ts';
import { usageError } from '../../core/errors.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import type { LocalSession } from './session.ts';
import { localStaticDir } from './static-files.ts';
import { untilHealthy } from './until-healthy.ts';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * How the composition's web app runs here; a usage error (exit 2) when it has no command that does.
 * (An app with prerequisites may get its program from them: its command is checked once they are in.)
 */
export async function localAppOf(c: Composition): Promise<LocalApp> {
  const { app } = c;
  if (!app.local) {
    throw usageError(
      'app.command',
      `the web app (${app.label}) has no command for the local runtime`,
      'give the app a command (--app-command "python3 app.py"), or run it with --runtime docker',
    );
  }
  const local = await app.local();
  if (!local.prerequisites?.length) checkLocalApp(local);
  return local;
}

/** The app's program as the OS will run it; a usage error (exit 2) when there is none. */
export function checkLocalApp(app: LocalApp): void {
  const [program = ''] = app.command;
  const found = program.includes('/')
    ? executable(isAbsolute(program) ? program : resolve(app.cwd, program))
    : findBinary(program) !== undefined;
  if (!found) {
    throw usageError(
      'app.command',
      `the app's command "${program}" is not found${program.includes('/') ? ` (from ${app.cwd})` : ' on PATH'}`,
      'give a command that runs here, e.g. --app-command "python3 app.py"',
    );
  }
}

export interface WebInstance {
  name: string;
  app: LocalApp;
  port: number;
  /** The contract's variables for this instance (contractEnv). */
  contract: Record<string, string>;
  healthPath: string;
  startTimeoutMs: number;
}

export async function startWebInstance(session: LocalSession, w: WebInstance): Promise<LocalService> {
  const [command = '', ...args] = w.app.command;
  const service = new LocalService(
    {
      name: w.name,
      command,
      args,
      cwd: w.app.cwd,
      env: { ...process.env, ...w.app.env, ...w.contract },
      ports: { http: w.port },
      readyTimeoutMs: w.startTimeoutMs,
      ready: (_, signal) => untilHealthy(`http://127.0.0.1:${w.port}${w.healthPath}`, signal),
    },
    session,
  );
  await service.start();
  return service;
}

/** One instance of the app, told by the contract where everything is (each data service through its link). */
export const startWebApp: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const { app } = ctx.composition;
    const loopback = (port: number) => ({ host: '127.0.0.1', port });
    const contract = contractEnv(
      ctx.composition,
      name,
      loopback(ctx.port(name)),
      (link) => loopback(ctx.port(link)),
      app.staticDir && localStaticDir(ctx.session),
    );
    ctx.add(
      await startWebInstance(ctx.session, {
        name,
        app: ctx.app,
        port: ctx.port(name),
        contract,
        healthPath: app.healthPath,
        startTimeoutMs: app.startTimeoutMs,
      }),
    );
  },
});
