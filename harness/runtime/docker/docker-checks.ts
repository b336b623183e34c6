/** What the docker runtime needs, as doctor-style checks: an engine that answers, and its images. */
import type { Check } from '../local/prerequisites.ts';
import { connectEngine, missingImages } from './engine.ts';
import { type ImageRole, imageEnvVar, images } from './images.ts';

export async function checkDocker(): Promise<Check[]> {
  const engine = await connectEngine().catch((err: Error) => err);
  if (engine instanceof Error) {
    return [
      {
        name: 'docker engine',
        ok: false,
        detail: engine.message,
        fix: 'start dockerd (or set DOCKER_HOST)',
      },
    ];
  }
  const checks: Check[] = [
    { name: 'docker engine', ok: true, detail: `Docker ${engine.version}, ports reached on ${engine.host}` },
  ];
  const set = images();
  const missing = new Set((await missingImages(engine.docker, set)).map(([role]) => role));
  for (const [role, name] of Object.entries(set) as [ImageRole, string][]) {
    const present = !missing.has(role);
    checks.push({
      name: `image ${role}`,
      ok: present,
      detail: present ? name : `${name} not present (pulled on first use where a registry is reachable)`,
      ...(present
        ? {}
        : { fix: `docker pull ${name}, or faultline images build, or set ${imageEnvVar(role)}` }),
    });
  }
  return checks;
}
