import assert from 'node:assert/strict';
import type { CheckResult } from '../../../harness/journal/index.ts';
import { loadFixture } from '../fixtures.ts';
import { buildModel } from '../model.ts';
import { primaryLossSection } from './primary-loss.ts';

// The three checkers' results of a primary kill at 10 s: writes back on pg-replica-1 after 5.1 s,
// one write the old primary acknowledged missing, no split brain (evidence as the checkers write it).
const checks: CheckResult[] = [
  {
    checker: 'write-unavailability',
    valid: true,
    value: 5100,
    unit: 'ms',
    summary: 'writes unavailable for 5100 ms after primary-kill:pg-primary',
    evidence: {
      writes: 300,
      acknowledged: 250,
      maxUnavailabilityMs: 5100,
      faults: [
        {
          fault: 'primary-kill:pg-primary',
          actuatedAt: 10_000,
          lastAckBeforeMs: -95,
          firstAckAfterMs: 5005,
          firstAckWrittenTo: 'pg-replica-1',
          unavailabilityMs: 5100,
          recovered: true,
          failedWrites: 50,
          timedOutWrites: 5,
          writeFailuresByCause: { ECONNREFUSED: 45, TIMEOUT: 5 },
          readsOk: 46,
          readsFailed: 5,
          detectedMs: 2000,
          promotedMs: 4000,
          endpointSwitchedMs: 4500,
          promotedNode: 'pg-replica-1',
        },
      ],
    },
  },
  {
    checker: 'acked-writes-lost',
    valid: false,
    value: 1,
    unit: 'count',
    summary: '1 of 250 acknowledged writes missing on pg-replica-1 (limit ≤ 0)',
    evidence: {
      acknowledged: 250,
      readback: 'ok',
      readbackError: null,
      node: 'pg-replica-1',
      checked: 250,
      lost: 1,
      maxLost: 0,
      lostWrites: [
        { ledgerId: 'w9900', ackedAt: 9905, writtenTo: 'pg-primary', request: 'POST /ledger/:id' },
      ],
      lostByWrittenTo: { 'pg-primary': 1 },
    },
  },
  {
    checker: 'split-brain',
    valid: true,
    value: 0,
    unit: 'count',
    summary: 'no two nodes acknowledged writes at the same time',
    evidence: {
      acknowledged: 250,
      unattributed: 0,
      count: 0,
      nodes: [
        { node: 'pg-primary', first: 5, last: 9905, writes: 100 },
        { node: 'pg-replica-1', first: 15_005, last: 29_905, writes: 150 },
      ],
      overlaps: [],
      writes: [],
      omittedWrites: 0,
    },
  },
];

describe('the primary-loss section of a report', () => {
  it('draws the write outage, the lost writes and the nodes that acknowledged writes, when those checkers ran', async () => {
    const result = await loadFixture('lb-backend-death');
    assert.equal(primaryLossSection.render(buildModel(result)), undefined);
    result.checks.push(...checks);
    const page = String(primaryLossSection.render(buildModel(result)));
    assert.match(page, /<section class="card" id="primary-loss">/);
    assert.doesNotMatch(page, /not in the shape this report reads/);
    assert.match(page, /<code>primary-kill:pg-primary<\/code>/);
    assert.match(page, /<code>w9900<\/code>.*<td>pg-primary<\/td>/);
    assert.match(page, /<td>pg-replica-1<\/td>/);
  });
});
