/**
 * How a runtime starts each kind of component: one starter per kind (in that component's own file
 * under the runtime), turned into the start graph's steps by the shared start plan. The plan decides
 * what waits for what; a starter only says how one service comes up on its runtime.
 */
import type { Composition } from '../components/composition.ts';
import { type ComponentKind, startPlan } from '../components/start-plan.ts';
import type { StartStep } from './start-graph.ts';

/** What every runtime's starters are given. */
export interface StartContext {
  readonly composition: Composition;
  /** Where the harness reaches a started service's main port (loopback, or a published port). */
  hostPort(service: string): number;
  /** host:port where a service reaches `link` ("pg-replica-2->pg-replica-1"): its proxy. */
  reach(link: string): { host: string; port: number };
  /** host:port where the harness itself reaches one of the links it connects through (the runbook's probes). */
  harnessReach(link: string): { host: string; port: number };
}

export type Starter<C extends StartContext> = (name: string, ctx: C) => Pick<StartStep, 'start' | 'settle'>;

/** Every kind must have a starter on every runtime: the type makes a missing one a compile error. */
export type Starters<C extends StartContext> = Record<ComponentKind, Starter<C>>;

export function startSteps<C extends StartContext>(starters: Starters<C>, ctx: C): StartStep[] {
  return startPlan(ctx.composition).map((planned) => ({
    name: planned.name,
    waitsFor: planned.waitsFor,
    ...starters[planned.component](planned.name, ctx),
  }));
}
