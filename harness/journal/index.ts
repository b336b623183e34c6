/**
 * result.json, the contract between a run and everything that reads it: the versioned schema, the
 * reader that refuses other versions in one line, and the atomic writer. Runs write through this
 * module and reports read through it; neither imports the other.
 */

export { type RunEvent, type RunEventKind, type RunEventOf, runEventSchema } from '../samples/run-event.ts';
export { type FaultLife, type FaultRecord, type FaultSource, faultRecords } from './faults.ts';
export { configuredLoad } from './load.ts';
export {
  type CheckResult,
  type HypothesisResult,
  RESULT_SCHEMA_VERSION,
  type RunResult,
  readResult,
  resultSchema,
  runStatuses,
  verdicts,
} from './result.ts';
export { writeJournal } from './write.ts';
