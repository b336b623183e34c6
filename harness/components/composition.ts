/**
 * A composition: the services one topology runs and the links that join them, whatever runtime
 * starts it. Every link is a Toxiproxy proxy named "<from>-><to>"; the load generator talks to the
 * load balancer and the CDN edge directly.
 */
import type { HealthCheck } from './load-balancer.ts';
import type { WebApp } from './web-app.ts';

export interface Composition {
  /** The target it was composed from ("shop"), for result.json. */
  target: string;
  /** The target's options as parsed, for result.json and reports. */
  options: Record<string, unknown>;
  primary: string;
  replicas: string[];
  caches: string[];
  /** The Redis session store, when sessions live outside the web instances. */
  sessions: string | undefined;
  /** The web instances' names; each runs `app`. */
  web: string[];
  app: WebApp;
  lb: { healthCheck: HealthCheck; sticky: boolean };
  cdn: { graceSeconds: number };
}

export interface LinkSpec {
  name: string;
  from: string;
  to: string;
}

/** The services of a composition in start order, the Toxiproxy server first. */
export function serviceNamesOf(c: Composition): string[] {
  return [
    'toxiproxy',
    'lb',
    'cdn',
    c.primary,
    ...c.replicas,
    ...c.caches,
    ...(c.sessions ? [c.sessions] : []),
    ...c.web,
  ];
}

/** The data services a web instance reaches, each through its own link. */
export function dataServicesOf(c: Composition): string[] {
  return [c.primary, ...c.replicas, ...c.caches, ...(c.sessions ? [c.sessions] : [])];
}

/** Every network path between two services. */
export function linksOf(c: Composition): LinkSpec[] {
  const link = (from: string, to: string): LinkSpec => ({ name: `${from}->${to}`, from, to });
  const result: LinkSpec[] = [link('cdn', 'lb')];
  for (const web of c.web) {
    result.push(link('lb', web));
    for (const to of dataServicesOf(c)) result.push(link(web, to));
  }
  for (const replica of c.replicas) result.push(link(replica, c.primary));
  return result;
}
