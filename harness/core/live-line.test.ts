import assert from 'node:assert/strict';
import { FakeTerminal } from '../../test/helpers/terminal.ts';
import { LiveLine } from './live-line.ts';
import { createLogger } from './logger.ts';

describe('a live line shared with log lines', () => {
  it('on a terminal, a log line goes above the live line, which is drawn again below it', () => {
    const terminal = new FakeTerminal(true);
    const line = new LiveLine(terminal);
    const log = createLogger('info', (text) => line.print(text));
    line.show('fault (12s left)  80 req/s');
    log.warn('cache-node-loss: fault did not take effect');
    line.show('fault (11s left)  79 req/s');
    const [logged, progress, ...rest] = terminal.screen();
    assert.match(logged as string, /^\S+ warn {2}cache-node-loss: fault did not take effect$/);
    assert.equal(progress, 'fault (11s left)  79 req/s');
    assert.deepEqual(rest, []);
  });

  it('a log line with no live line shown is written as it is', () => {
    const terminal = new FakeTerminal(true);
    const line = new LiveLine(terminal);
    line.show('baseline (3s left)');
    line.clear();
    line.print('done\n');
    assert.deepEqual(terminal.screen(), ['done', '']);
  });

  it('off a terminal (CI logs), each live line is a line of its own, without escape codes', () => {
    const terminal = new FakeTerminal(false);
    const line = new LiveLine(terminal);
    line.show('warmup (2s left)');
    line.print('a log line\n');
    line.show('warmup (1s left)');
    line.clear();
    assert.equal(terminal.writes.join(''), 'warmup (2s left)\na log line\nwarmup (1s left)\n');
  });

  it('a live line wider than the terminal is cut to fit, so it can still be redrawn in place', () => {
    const terminal = new FakeTerminal(true, 20);
    const line = new LiveLine(terminal);
    line.show('recovery (25s left)  80 req/s  ok 80/s');
    assert.deepEqual(terminal.screen(), ['recovery (25s left…']);
  });
});
