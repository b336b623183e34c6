/**
 * One result.json made ready for comparing: its histograms decoded, its per-phase numbers (the same
 * ones the slo checker and the hypotheses use), and the moment its first fault took effect.
 */

import { FaultlineError, usageError } from '../../harness/core/errors.ts';
import type { RunResult } from '../../harness/journal/index.ts';
import { type PhaseNumbers, phaseNumbers } from '../../harness/metrics/phase-numbers.ts';
import { type MetricsSnapshot, snapshotFromJSON } from '../../harness/metrics/snapshot.ts';

export interface PreparedRun {
  result: RunResult;
  /** The file it came from, or a description ("baseline run 2"). */
  source: string;
  snapshot: MetricsSnapshot;
  numbers: Record<string, PhaseNumbers>;
  /** Run-clock ms that becomes t = 0 of the aligned time series. */
  t0: number;
  alignedOn: 'fault-actuated' | 'fault-phase-start' | 'run-start';
  /** Run-clock ms of the last fault heal (or the fault phase's end), if any. */
  healedAt: number | undefined;
}

export function prepareRun(result: RunResult, source: string): PreparedRun {
  let snapshot: MetricsSnapshot;
  try {
    snapshot = snapshotFromJSON(result.metrics);
  } catch (err) {
    if (err instanceof FaultlineError) {
      throw usageError(err.code, `${source}: ${err.message}`, err.hint);
    }
    throw err;
  }
  const { faults } = result;
  const actuated = faults.flatMap((f) => f.life.actuated ?? []);
  const healed = faults.flatMap((f) => f.life.healed ?? []);
  const faultPhase = result.phases.find((p) => p.name === 'fault');
  let t0 = 0;
  let alignedOn: PreparedRun['alignedOn'] = 'run-start';
  if (actuated.length) {
    t0 = Math.min(...actuated);
    alignedOn = 'fault-actuated';
  } else if (faultPhase) {
    t0 = faultPhase.startMs;
    alignedOn = 'fault-phase-start';
  }
  const healedAt = healed.length ? Math.max(...healed) : faultPhase?.endMs;
  return {
    result,
    source,
    snapshot,
    numbers: phaseNumbers({ phases: result.phases, metrics: snapshot }).phases,
    t0,
    alignedOn,
    healedAt,
  };
}
