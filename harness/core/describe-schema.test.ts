import assert from 'node:assert/strict';
import { z } from 'zod';
import { describeFields, fieldSummary } from './describe-schema.ts';
import { durationSchema } from './duration.ts';

describe('describeFields', () => {
  const schema = z
    .object({
      rate: z.number().positive(),
      users: z.number().int().min(1).max(64),
      arrivals: z.enum(['uniform', 'poisson']).default('uniform'),
      pacing: durationSchema.default(1500),
      intervalMs: z.number().default(1000),
      cap: z.number().describe('the cap; 0 stops all data (KB/s)'),
      path: z.string().regex(/^\//).optional(),
    })
    .strict();
  const byName = Object.fromEntries(describeFields(schema).map((f) => [f.name, f]));

  it('gives each field its type, whether it is required, and its default as parsed', () => {
    assert.deepEqual(byName.rate, { name: 'rate', type: 'number', required: true, min: 0, above: true });
    assert.deepEqual(byName.arrivals, {
      name: 'arrivals',
      type: 'string',
      required: false,
      default: 'uniform',
      values: ['uniform', 'poisson'],
    });
    assert.equal(byName.path?.required, false);
    assert.equal(byName.path?.pattern, '^\\/');
  });

  it('gives bounds without the integer range zod adds', () => {
    assert.equal(byName.users?.type, 'integer');
    assert.equal(byName.users?.min, 1);
    assert.equal(byName.users?.max, 64);
    assert.equal(describeFields(z.object({ n: z.number().int() })).at(0)?.max, undefined);
  });

  it('takes the unit from a description’s last parenthesis or from the field’s name', () => {
    assert.equal(byName.cap?.unit, 'KB/s');
    assert.equal(byName.cap?.description, 'the cap; 0 stops all data');
    assert.equal(byName.intervalMs?.unit, 'ms');
    assert.equal(byName.rate?.unit, undefined);
  });

  it('shows a duration as one, with its default in ms', () => {
    assert.equal(byName.pacing?.type, 'duration');
    assert.equal(byName.pacing?.unit, 'ms');
    assert.equal(byName.pacing?.default, 1500);
  });

  it('summarises a field for a one-line option list', () => {
    assert.equal(fieldSummary(byName.pacing as never), 'pacing=1500 ms');
    assert.equal(fieldSummary(byName.arrivals as never), 'arrivals=uniform');
    assert.equal(fieldSummary(byName.rate as never), 'rate');
    assert.equal(fieldSummary(byName.cap as never), 'cap (KB/s)');
    assert.equal(fieldSummary(byName.path as never), 'path?');
  });
});
