/**
 * What the engine says when a container or network cannot be made, turned into one line that names
 * the service and what to do (port taken, no address pool left, anything else).
 */
import { FaultlineError } from '../../core/errors.ts';

export function containerStartError(service: string, err: unknown): FaultlineError {
  if (err instanceof FaultlineError) return err;
  const message = firstLine(err);
  const port =
    /(?:Bind for \S+:(\d+) failed: port is already allocated|listen tcp4? \S+:(\d+): bind: address already in use)/.exec(
      message,
    );
  if (port) {
    return new FaultlineError(
      'docker.port',
      `${service}: host port ${port[1] ?? port[2]} is already in use`,
      'another program took it after faultline chose it; run again',
    );
  }
  return new FaultlineError(
    'docker.start',
    `${service} did not start in its container: ${message}`,
    'run "faultline doctor --runtime docker"; the container log is in the message above',
  );
}

export function networkError(network: string, err: unknown): FaultlineError {
  const message = firstLine(err);
  const hint = /address pool|non-overlapping/i.test(message)
    ? 'the engine has no free subnet left: remove unused networks with "docker network prune"'
    : 'check the engine with "faultline doctor --runtime docker"';
  return new FaultlineError('docker.network', `cannot create docker network ${network}: ${message}`, hint);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n').find((l) => l.trim()) ?? text).trim().replace(/^\(HTTP code \d+\) \S+ - /, '');
}
