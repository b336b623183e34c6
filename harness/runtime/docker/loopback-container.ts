/**
 * A container whose published ports answer on loopback only. testcontainers publishes on every
 * interface of the host, which would put a trust-auth PostgreSQL, an open Redis and Toxiproxy's fault
 * API on the machine's network; the harness needs them on 127.0.0.1 alone.
 */
import { isIP } from 'node:net';
import { GenericContainer } from 'testcontainers';

/** Where to publish for an engine reached at `engineHost`: that loopback address for a local engine. */
export function publishAddress(engineHost: string): string {
  if (engineHost === 'localhost') return '127.0.0.1';
  // A remote engine's ports can only be reached on its own interfaces ("" = all of them).
  return isLoopback(engineHost) ? engineHost : '';
}

function isLoopback(host: string): boolean {
  return host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export class LoopbackContainer extends GenericContainer {
  constructor(
    image: string,
    private readonly hostIp: string,
  ) {
    super(image);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const binding of bindings as { HostIp?: string }[]) binding.HostIp = this.hostIp;
    }
  }
}
