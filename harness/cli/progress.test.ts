import assert from 'node:assert/strict';
import { FakeTerminal } from '../../test/helpers/terminal.ts';
import { LiveLine } from '../core/live-line.ts';
import { createLogger } from '../core/logger.ts';
import { createHistogram, recordMs } from '../metrics/histogram.ts';
import type { Sample } from '../samples/sample.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import { progressLine, reportProgress } from './progress.ts';

const ok = (latency: number): Sample => ({
  request: 'GET /',
  intendedAt: 0,
  sentAt: 0,
  doneAt: latency,
  outcome: 'ok',
});
const failed: Sample = { request: 'GET /', intendedAt: 0, sentAt: 0, doneAt: 5, outcome: 'fail' };
const dropped: Sample = { request: 'GET /', intendedAt: 0, doneAt: 0, outcome: 'fail' };

/** Resolves once the terminal has been written to `writes` times. */
async function writes(terminal: FakeTerminal, count: number): Promise<void> {
  while (terminal.writes.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('live progress', () => {
  it('gives every count of a tick per second, like the request rate beside it', () => {
    const latencies = createHistogram();
    const line = progressLine({ ok: 39, failed: 1, dropped: 2, latencies, spanMs: 500 });
    assert.match(line, /^80 req\/s {2}ok 78\/s {2}failed 2\/s {2}dropped 4\/s {2}/);
  });

  it('shows latencies with their unit as the report does, and n/a for a tick without answers', () => {
    const latencies = createHistogram();
    for (let i = 0; i < 98; i++) recordMs(latencies, 1.23);
    for (let i = 0; i < 2; i++) recordMs(latencies, 250);
    const base = { ok: 100, failed: 0, dropped: 0, spanMs: 1000 };
    assert.match(progressLine({ ...base, latencies }), /p50 1\.23 ms {2}p99 250 ms$/);
    assert.match(progressLine({ ...base, latencies: createHistogram() }), /p50 n\/a {2}p99 n\/a$/);
  });

  it('redraws one line on a terminal, with the context first, and clears it when stopped', async () => {
    const terminal = new FakeTerminal(true);
    const bus = new SampleBus();
    let now = 0;
    const stop = reportProgress(bus, new LiveLine(terminal), {
      intervalMs: 10,
      now: () => now,
      prefix: () => 'fault 12s left',
    });
    for (let i = 0; i < 8; i++) bus.emit(ok(2));
    now = 100;
    await writes(terminal, 1);
    const [shown, ...more] = terminal.screen();
    stop();
    assert.match(shown as string, /^fault 12s left {2}80 req\/s {2}ok 80\/s /);
    assert.deepEqual(more, [], 'one line, redrawn in place');
    assert.deepEqual(terminal.screen(), [''], 'cleared when stopped');
  });

  it('on a terminal too narrow for it: the numbers first, briefly, then as much context as fits', async () => {
    const terminal = new FakeTerminal(true, 80);
    const bus = new SampleBus();
    let now = 0;
    const stop = reportProgress(bus, new LiveLine(terminal), {
      intervalMs: 10,
      now: () => now,
      prefix: () =>
        'run 3 of 10, ~2m10s left · fault 4s left, lb-backend-death:web-2 link-latency:web-1->pg-primary',
    });
    for (let i = 0; i < 8; i++) bus.emit(ok(2));
    now = 100;
    await writes(terminal, 1);
    const [shown] = terminal.screen();
    stop();
    assert.match(
      shown as string,
      /^80 req\/s {2}failed 0\/s {2}p50 2(\.00)? ms {2}p99 2(\.00)? ms {2}· {2}run 3 of 10/,
    );
    assert.ok((shown as string).length < 80, `${(shown as string).length} columns: ${shown}`);
    assert.match(shown as string, /…$/, 'the context cut, and marked so');
  });

  it('a log line written while progress is live stands on its own line, progress drawn again below', async () => {
    const terminal = new FakeTerminal(true);
    const line = new LiveLine(terminal);
    const log = createLogger('info', (text) => line.print(text));
    const bus = new SampleBus();
    let now = 0;
    const stop = reportProgress(bus, line, { intervalMs: 10, now: () => now, prefix: () => 'baseline' });
    bus.emit(ok(1));
    bus.emit(failed);
    bus.emit(dropped);
    now = 1000;
    await writes(terminal, 1);
    log.info('replica-lag: fault (20 s)');
    const screen = terminal.screen();
    stop();
    assert.equal(screen.length, 2, JSON.stringify(screen));
    assert.match(screen[0] as string, /^\S+ info {2}replica-lag: fault \(20 s\)$/);
    assert.match(screen[1] as string, /^baseline {2}2 req\/s {2}ok 1\/s {2}failed 1\/s {2}dropped 1\/s/);
  });
});
