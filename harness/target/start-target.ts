/**
 * Starts a target's topology for a script or `faultline up`: the target found by name (the shop by
 * default), composed from its topology options, with the user's own app as its web tier when given,
 * on the runtime `runtime` means here (auto: as `faultline up`).
 */
import type { Composition } from '../components/composition.ts';
import { type AppSpecInput, appSpecSchema, webAppFrom } from '../components/web-app.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { parseOrThrow } from '../core/validation.ts';
import { type RuntimeChoice, resolveRuntime, topologyStarter } from '../runtime/runtimes.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import { loadTarget, type TargetRef } from './catalog.ts';
import { composeTarget } from './target.ts';

export interface StartTopologyOptions {
  runtime?: RuntimeChoice;
  log?: Logger;
  /** A target name, a target.ts path or a definition (default: the shop). */
  target?: TargetRef;
  /** The user's own web app, in place of the target's. */
  app?: AppSpecInput;
}

/** The composition of the target with these topology options (and app): every usage error before anything starts. */
export async function composeFor(
  options: Record<string, unknown>,
  { target, app }: Pick<StartTopologyOptions, 'target' | 'app'> = {},
): Promise<Composition> {
  const definition = await loadTarget(target);
  const webApp = app
    ? webAppFrom(parseOrThrow(appSpecSchema, app, 'app', 'app.invalid', 'fix the app'))
    : undefined;
  return composeTarget(definition, options, webApp);
}

export async function startTopology(
  options: Record<string, unknown> = {},
  { runtime = 'auto', log = silentLogger, ...what }: StartTopologyOptions = {},
): Promise<StartedTopology> {
  const composition = await composeFor(options, what);
  return topologyStarter(await resolveRuntime(runtime, { log }), log)(composition);
}
