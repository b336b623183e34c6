import assert from 'node:assert/strict';
import { runCli } from '../../../test/helpers/cli.ts';

describe('faultline list', function () {
  this.timeout(20_000);

  it('shows the executors and workloads, each with its description and options', async () => {
    const run = runCli(['list']);
    assert.equal(await run.exit, 0, run.stderr());
    const out = run.stdout();
    for (const line of [
      /^Executors \(load\.executor/m,
      /^ {2}constant-arrival-rate +open loop: /m,
      /^ +options: rate, arrivals=uniform$/m,
      /^ {2}ramping-arrival-rate +open loop, ramping linearly/m,
      /^ +options: startRate=0, stages$/m,
      /^ {2}session-users +/m,
      /^ +options: users, pacing=1000$/m,
      /^Workloads \(load\.workload\):$/m,
      /^ {2}browse +GET \/products\/:id/m,
      /^ +options: products=1000, zipfExponent=1$/m,
      /^ {2}cart-journey +.*\n +no options$/m,
      /^ {2}http-get +.*\n +options: path$/m,
    ]) {
      assert.match(out, line);
    }
  });
});
