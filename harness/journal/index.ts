/**
 * result.json, the contract between a run and everything that reads it: the versioned schema, the
 * reader that upgrades version 1 and refuses other versions in one line, the fault records the run
 * stores, and the atomic writer. Runs write through this module and reports read through it; neither
 * imports the other.
 */

export { type RunEvent, type RunEventKind, type RunEventOf, runEventSchema } from '../samples/run-event.ts';
export { type FaultLife, type FaultRecord, faultRecords } from './faults.ts';
export {
  type CheckResult,
  type HypothesisResult,
  RESULT_SCHEMA_VERSION,
  type RunResult,
  readResult,
  resultSchema,
  runStatuses,
  verdicts,
  writtenSchemaVersion,
} from './result.ts';
export { writeJournal } from './write.ts';
