import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { faultRecords } from './faults.ts';
import { readResult } from './result.ts';

const fixture = (file: string) =>
  readResult(fileURLToPath(new URL(`../../reports/fixtures/${file}`, import.meta.url)));

describe('faultRecords', () => {
  it('a recorded run: id, kind, target, the params the experiment gave, and each step of its life', async () => {
    const result = await fixture('replica-lag.mitigation-none.result.json');
    const at = (kind: string) => result.events.find((e) => e.kind === kind)?.at;
    const expected = [
      {
        id: 'replica-lag:all',
        kind: 'replica-lag',
        target: 'all',
        params: { latency: '800ms' },
        life: {
          requested: at('fault-requested'),
          actuated: at('fault-actuated'),
          verified: at('fault-verified'),
          healed: at('fault-healed'),
        },
      },
    ];
    assert.deepEqual(faultRecords(result), expected);
    assert.deepEqual(result.faults, expected, 'reading the v1 file stored them');
  });

  it('a link target keeps its arrow, and a fault without params has {}', async () => {
    const result = await fixture('cdn-origin-outage.result.json');
    const [record] = faultRecords(result);
    assert.deepEqual(result.faults, [record]);
    assert.equal(record?.id, 'cdn-origin-outage:cdn->lb');
    assert.equal(record?.target, 'cdn->lb');
    assert.deepEqual(record?.params, {});
  });

  it('two faults of one kind take the experiment’s faults of that kind in order', () => {
    const records = faultRecords({
      experiment: {
        definition: {
          faults: [
            { kind: 'service-kill', service: 'web-1' },
            { kind: 'link-down', link: 'lb->web-1' },
            { kind: 'service-kill', service: 'web-2', signal: 'SIGTERM' },
          ],
        },
      },
      events: [
        { at: 1, kind: 'fault-requested', fault: 'service-kill:web-1' },
        { at: 1, kind: 'fault-requested', fault: 'service-kill:web-2' },
        { at: 3, kind: 'fault-actuated', fault: 'service-kill:web-2' },
        { at: 4, kind: 'fault-actuated', fault: 'service-kill:web-1' },
      ],
    });
    assert.deepEqual(
      records.map((r) => [r.id, r.params]),
      [
        ['service-kill:web-1', { service: 'web-1' }],
        ['service-kill:web-2', { service: 'web-2', signal: 'SIGTERM' }],
      ],
    );
  });

  it('a variant with faults of its own takes their params, not the experiment’s', () => {
    const definition = {
      faults: [{ kind: 'writes-behind-cache', via: 'app' }],
      variants: [
        { name: 'behind', faults: [{ kind: 'writes-behind-cache', via: 'database' }] },
        { name: 'plain' },
      ],
    };
    const events = [{ at: 1, kind: 'fault-actuated' as const, fault: 'writes-behind-cache:database' }];
    const [own] = faultRecords({ experiment: { definition }, variant: 'behind', events });
    assert.deepEqual(own?.params, { via: 'database' });
    const [plain] = faultRecords({ experiment: { definition }, variant: 'plain', events });
    assert.deepEqual(plain?.params, { via: 'app' });
  });

  it('a fault injected again after its heal is a second life; a repeated step keeps its first time', () => {
    const records = faultRecords({
      events: [
        { at: 10, kind: 'fault-requested', fault: 'k:t' },
        { at: 11, kind: 'fault-actuated', fault: 'k:t' },
        { at: 12, kind: 'fault-verified', fault: 'k:t' },
        { at: 13, kind: 'fault-verified', fault: 'k:t' },
        { at: 20, kind: 'fault-heal-failed', fault: 'k:t', detail: { error: 'refused' } },
        { at: 30, kind: 'fault-requested', fault: 'k:t' },
        { at: 31, kind: 'fault-actuated', fault: 'k:t' },
        { at: 32, kind: 'fault-unverified', fault: 'k:t' },
        { at: 40, kind: 'fault-healed', fault: 'k:t' },
        { at: 41, kind: 'observation', source: 's', fault: 'k:t', detail: {} },
      ],
    });
    assert.deepEqual(
      records.map((r) => r.life),
      [
        { requested: 10, actuated: 11, verified: 12, healFailed: 20 },
        { requested: 30, actuated: 31, unverified: 32, healed: 40 },
      ],
    );
  });
});
