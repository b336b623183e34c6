/**
 * Live progress for a suite of runs: which run of how many, about how long until all are done, and
 * where the current run is ("run 3 of 10, ~2m10s left · fault 12s left, lb-backend-death:web-2").
 * Time left is the load still planned (phase durations, already scaled by --duration-scale) plus what
 * starting and stopping a topology takes, as measured on this suite's runs so far.
 */
import { formatDuration } from '../core/duration.ts';
import type { LiveLine } from '../core/live-line.ts';
import { type Experiment, phaseWindows } from '../experiment/definition.ts';
import type { RunStatusLine } from '../run/status-line.ts';
import type { SampleBus } from '../samples/sample-bus.ts';
import { reportProgress } from './progress.ts';

/** How long an experiment's load runs at this duration scale: its phases end to end. */
export function plannedLoadMs(experiment: Experiment, durationScale: number): number {
  return phaseWindows(experiment, durationScale).at(-1)?.endMs ?? 0;
}

/** Whole seconds, rounded up: a countdown or an estimate has no decimals. */
function seconds(ms: number): string {
  return ms > 0 ? formatDuration(Math.ceil(ms / 1000) * 1000) : '0s';
}

export class SuiteProgress {
  #run = -1;
  #runStart = 0;
  #loadStart: number | undefined;
  #loadEnd: number | undefined;
  /** Per finished run: the time it spent outside its load (topology start, judging, stop). */
  readonly #overheads: number[] = [];

  /** One entry per run, in order: how long its load is planned to take (ms). */
  constructor(
    private readonly plannedMs: readonly number[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The next run begins (before its topology starts). */
  startRun(): void {
    this.#run++;
    this.#runStart = this.now();
    this.#loadStart = this.#loadEnd = undefined;
  }

  /** Its topology is up and load begins. */
  loadStarted(): void {
    this.#loadStart = this.now();
  }

  /** Its load is over (what follows is judging and stopping the topology). */
  loadEnded(): void {
    this.#loadEnd = this.now();
  }

  endRun(): void {
    const end = this.now();
    const startup = (this.#loadStart ?? end) - this.#runStart;
    this.#overheads.push(startup + (this.#loadStart === undefined ? 0 : end - (this.#loadEnd ?? end)));
  }

  /** Milliseconds until the last run is done, given the current run's load left. */
  leftMs(runLeftMs: number): number {
    const startup = this.#loadStart === undefined ? 0 : this.#loadStart - this.#runStart;
    // Before any run finished, this run's start-up is the best guess at a run's overhead.
    const overhead = this.#overheads.length
      ? this.#overheads.reduce((a, b) => a + b, 0) / this.#overheads.length
      : startup;
    const later = this.plannedMs.slice(this.#run + 1);
    return runLeftMs + Math.max(0, overhead - startup) + later.reduce((sum, ms) => sum + ms + overhead, 0);
  }

  /** "run 3 of 10, ~2m10s left"; for a single run only the time left. */
  position(runLeftMs: number): string {
    const left = `~${seconds(this.leftMs(runLeftMs))} left`;
    const total = this.plannedMs.length;
    return total > 1 ? `run ${this.#run + 1} of ${total}, ${left}` : left;
  }

  /** The prefix of the live progress line. */
  prefix(status: RunStatusLine): string {
    const faults = status.faults.length ? `, ${status.faults.join(' ')}` : '';
    const healing = status.healing.length ? `, healing ${status.healing.join(' ')}` : '';
    const phase = `${status.phase} ${seconds(status.leftMs)} left`;
    return `${this.position(status.runLeftMs)} · ${phase}${faults}${healing}`;
  }

  /** runExperiment's onBus: live progress on `line`, with this suite's prefix, timing the load. */
  progress(line: LiveLine): (bus: SampleBus, status: () => RunStatusLine) => () => void {
    return (bus, status) => {
      this.loadStarted();
      const stop = reportProgress(bus, line, {
        intervalMs: line.inPlace ? 500 : 2000,
        prefix: () => this.prefix(status()),
      });
      return () => {
        stop();
        this.loadEnded();
      };
    };
  }
}
