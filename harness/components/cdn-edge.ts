/**
 * The CDN-edge component: Varnish in front of the origin (the load balancer, through the cdn->lb
 * link), caching only the static prefix and serving stale copies for `graceSeconds` while the origin
 * is down. Its invalidation API: PURGE <url> drops one object, BAN with x-ban-url: <regex> every
 * object whose URL matches, both only with the topology's token (cdn-invalidate.ts sends them).
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
  /** What a PURGE or BAN must carry in x-invalidate-token. */
  invalidateToken: string;
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
    invalidateToken: c.invalidateToken,
  });
}
