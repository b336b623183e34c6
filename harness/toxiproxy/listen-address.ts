/**
 * Listen addresses the way Go's net package treats "host:port": the same parse errors, hostnames
 * resolved (IPv4 first), and the canonical "ip:port" / "[ipv6]:port" form Toxiproxy echoes back.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface HostPort {
  /** "" means every interface, as in Go. */
  readonly host: string;
  readonly port: number;
}

export class AddressError extends Error {}

export function splitHostPort(address: string): HostPort {
  const missingPort = () => new AddressError(`address ${address}: missing port in address`);
  let host: string;
  let port: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) throw new AddressError(`address ${address}: missing ']' in address`);
    if (address[close + 1] !== ':') throw missingPort();
    host = address.slice(1, close);
    port = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon < 0) throw missingPort();
    host = address.slice(0, colon);
    port = address.slice(colon + 1);
    if (host.includes(':')) throw new AddressError(`address ${address}: too many colons in address`);
  }
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    throw new AddressError(`address ${port}: invalid port`);
  }
  return { host, port: Number(port) };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Resolves a hostname to one IP (IPv4 preferred, like Go's "tcp" listen); IPs pass through. */
export async function resolveHost(host: string): Promise<string> {
  if (host === '' || isIP(host)) return host;
  try {
    const addresses = await lookup(host, { all: true });
    const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
    if (chosen) return chosen.address;
  } catch {
    // fall through to Go's wording below
  }
  throw new AddressError(`lookup ${host}: no such host`);
}

/** Go's net.ResolveTCPAddr(...).String(): what a listen address will be reported as. */
export async function canonicalAddress(address: string): Promise<string> {
  const { host, port } = splitHostPort(address);
  return formatHostPort(await resolveHost(host), port);
}
