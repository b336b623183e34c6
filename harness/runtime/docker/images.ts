/**
 * The images the docker runtime starts: official images, versions pinned here and only here. Each can
 * be overridden for users behind a mirror (FAULTLINE_IMAGE_<ROLE>=registry.example/postgres:15), and
 * `faultline images build` makes equivalents locally under the same names where no registry is reachable.
 */
export const imageRoles = ['postgres', 'redis', 'haproxy', 'varnish', 'toxiproxy', 'node'] as const;
export type ImageRole = (typeof imageRoles)[number];

export const defaultImages: Readonly<Record<ImageRole, string>> = {
  postgres: 'postgres:15-bookworm',
  redis: 'redis:7.0-bookworm',
  haproxy: 'haproxy:2.6-bookworm',
  varnish: 'varnish:7.1',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
  node: 'node:24-bookworm-slim',
};

export function imageEnvVar(role: ImageRole): string {
  return `FAULTLINE_IMAGE_${role.toUpperCase()}`;
}

export type ImageSet = Readonly<Record<ImageRole, string>>;

/** The image names in effect: defaults, then FAULTLINE_IMAGE_* from the environment. */
export function images(env: NodeJS.ProcessEnv = process.env): ImageSet {
  const chosen = { ...defaultImages };
  for (const role of imageRoles) {
    const override = env[imageEnvVar(role)]?.trim();
    if (override) chosen[role] = override;
  }
  return chosen;
}
