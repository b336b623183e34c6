import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEventSchema } from '../samples/run-event.ts';
import { resultSchema } from './result.ts';

const FIXTURES = fileURLToPath(new URL('../../reports/fixtures/', import.meta.url));

async function fixtureFiles(): Promise<string[]> {
  const entries = await readdir(FIXTURES, { recursive: true });
  return entries.filter((f) => f.endsWith('result.json')).map((f) => join(FIXTURES, f));
}

describe('result.json events', () => {
  it('every committed fixture (real recorded runs) parses, and reads back exactly as written', async () => {
    const files = await fixtureFiles();
    assert.ok(files.length >= 10, `found the fixtures (${files.length})`);
    for (const file of files) {
      const json = JSON.parse(await readFile(file, 'utf8'));
      const parsed = resultSchema.safeParse(json);
      assert.ok(parsed.success, `${file}: ${parsed.error}`);
      assert.deepEqual(parsed.data.events, json.events, `${file}: no field of an event is lost`);
    }
  });

  it('each kind has its own shape: a phase event names its phase, a fault event its fault', () => {
    assert.ok(runEventSchema.safeParse({ at: 1, kind: 'phase-start', phase: 'fault' }).success);
    assert.ok(!runEventSchema.safeParse({ at: 1, kind: 'phase-start' }).success);
    assert.ok(runEventSchema.safeParse({ at: 1, kind: 'fault-healed', fault: 'replica-lag:all' }).success);
    assert.ok(!runEventSchema.safeParse({ at: 1, kind: 'fault-healed', phase: 'fault' }).success);
    const failed = {
      at: 1,
      kind: 'fault-heal-failed',
      fault: 'service-kill:web-1',
      detail: { error: 'gone' },
    };
    assert.ok(runEventSchema.safeParse(failed).success);
  });

  it('an observation names its source and carries flat detail; a fault’s own observation names the fault', () => {
    const seen = {
      at: 2,
      kind: 'observation',
      source: 'haproxy.server',
      detail: { server: 'web-2', status: 'DOWN' },
    };
    assert.ok(runEventSchema.safeParse(seen).success);
    assert.ok(runEventSchema.safeParse({ ...seen, fault: 'lb-backend-death:web-2' }).success);
    assert.ok(!runEventSchema.safeParse({ ...seen, source: undefined }).success);
    assert.ok(!runEventSchema.safeParse({ ...seen, detail: { nested: { no: 1 } } }).success);
  });

  it('refuses an event kind the run never records', () => {
    const parsed = runEventSchema.safeParse({ at: 3, kind: 'fault-exploded', fault: 'x' });
    assert.ok(!parsed.success);
  });
});
