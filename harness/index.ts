/**
 * faultline's public API: what users import as 'faultline' (package.json "exports"). Named exports
 * only; the shipped experiments import nothing else.
 */

/**
 * The zod that faultline's schemas are made with: a fault's `params` and a checker's `options` and
 * `evidence` are zod schemas (`z.object({...}).strict()`), so a user's project needs no zod of its own.
 */
export { z } from 'zod';
export {
  type Checker,
  type CheckerDefinition,
  type CheckResult,
  defineChecker,
  type MetricSpec,
  type PhaseWindow,
  type RunRecord,
} from './checkers/checker.ts';
export {
  type ArchitectureOptions,
  architectureSchema,
  cacheTtlSchema,
  cdnSchema,
  composeArchitecture,
  healthCheckSchema,
} from './components/architecture.ts';
export type { Composition } from './components/composition.ts';
export {
  type AppPrerequisite,
  type AppSpecInput,
  type DockerApp,
  type LocalApp,
  type WebApp,
  webAppFrom,
} from './components/web-app.ts';
export { parseDuration } from './core/duration.ts';
export { ExitCode, FaultlineError } from './core/errors.ts';
export {
  defineExperiment,
  type Experiment,
  type ExperimentInput as ExperimentDefinition,
  type PhaseName,
  validateExperiment,
} from './experiment/definition.ts';
export type { Hypothesis } from './experiment/hypothesis.ts';
export {
  type Actuation,
  defineFault,
  type Fault,
  type FaultContext,
  type FaultKind as FaultDefinition,
  type FaultTarget,
} from './faults/fault.ts';
export { type LoadSpec, type LoadSpecInput, loadSchema } from './load/load-spec.ts';
export { type LoadResult, runLoad } from './load/run-load.ts';
export * from './metrics/index.ts';
export type { Variant } from './run/plan-run.ts';
export { type RunExperimentOptions, runExperiment } from './run/run-definition.ts';
export type { RunOutcome } from './run/run-experiment.ts';
export { startDockerTopology } from './runtime/docker/docker-topology.ts';
export { images as dockerImages } from './runtime/docker/images.ts';
export { startLocalTopology } from './runtime/local/local-topology.ts';
export type { RuntimeChoice } from './runtime/runtimes.ts';
export type { ServiceHandle } from './runtime/service.ts';
export type { StartedTopology, TopologyEndpoints } from './runtime/topology.ts';
export type { Outcome, Sample } from './samples/sample.ts';
export { SampleBus } from './samples/sample-bus.ts';
export { composeFor, type StartTopologyOptions, startTopology } from './target/start-target.ts';
export { defineTarget, type TargetDefinition } from './target/target.ts';
export { ApiError } from './toxiproxy/api-error.ts';
export { TOXIPROXY_VERSION, ToxiproxyServer, type ToxiproxyServerOptions } from './toxiproxy/api-server.ts';
