/**
 * What the engine says when a container or network cannot be made, turned into one line that names
 * the service and what to do (port taken, no address pool left, anything else).
 */
import { FaultlineError } from '../../core/errors.ts';

/**
 * testcontainers' words for a container that stopped before it was ready (its ports are never bound
 * when it exits at once; its log ends; its HTTP wait sees it exit; exec finds it not running).
 */
const EXITED =
  /^(?:Container exited during|Log stream ended and message|Timed out after \d+ms while waiting for container ports to be bound|.*container \S+ is not running)/i;

/**
 * One line for a container that did not start: a taken host port, a container that exited while
 * starting (with its last log line, since the container is gone by the time the user reads this),
 * or anything else the engine or a wait strategy said.
 */
export function containerStartError(service: string, err: unknown, lastLogLine?: string): FaultlineError {
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
  const log = lastLogLine ? `; its last log line: ${lastLogLine}` : '';
  if (EXITED.test(message)) {
    return new FaultlineError(
      'docker.start',
      `${service} exited while starting${log || ' (it logged nothing)'}`,
      'check the image it runs ("faultline doctor --runtime docker" lists them; FAULTLINE_IMAGE_<ROLE> overrides)',
    );
  }
  return new FaultlineError(
    'docker.start',
    `${service} did not start in its container: ${message}${log}`,
    'check the image it runs with "faultline doctor --runtime docker"',
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
