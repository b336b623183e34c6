/**
 * The CDN-edge component: Varnish in front of the origin (the load balancer, through the cdn->lb
 * link), caching only the static prefix and serving stale copies for `graceSeconds` while the origin
 * is down.
 */
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './template.ts';

const TEMPLATE = fileURLToPath(new URL('./varnish.vcl', import.meta.url));

export interface VclConfig {
  originHost: string;
  originPort: number;
  graceSeconds: number;
  /** Varnish probes the origin here. */
  healthPath: string;
  /** Only paths under this prefix are cached; everything else passes to the origin. */
  staticPrefix: string;
}

/** A VCL regex matching the literal prefix. */
const literalPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function varnishVcl(c: VclConfig): string {
  return renderTemplate(TEMPLATE, {
    originHost: c.originHost,
    originPort: c.originPort,
    graceSeconds: c.graceSeconds,
    healthPath: c.healthPath,
    staticPrefixPattern: literalPattern(c.staticPrefix),
  });
}
