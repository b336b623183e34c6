/**
 * testcontainers' Ryuk removes containers when the process dies, but only where its image can be
 * pulled. Where it is not present, faultline turns it off (its documented setting) and relies on its
 * own watchdog and reaper (docker-session.ts), which do the same job by label.
 */
import { getContainerRuntimeClient, getReaper, ImageName } from 'testcontainers';
import type { Logger } from '../../core/logger.ts';
import { type Engine, imagePresent } from './engine.ts';

const RYUK_IMAGE = process.env.RYUK_CONTAINER_IMAGE ?? 'testcontainers/ryuk:0.14.0';

export async function configureRyuk(engine: Engine, log: Logger): Promise<void> {
  await decideRyuk(engine, log);
  // testcontainers sets its reaper up (or a disabled one) on the first container's start, under a
  // file lock that concurrent starts queue on, retrying every 0.5 s: containers started side by
  // side would start one after another. Set up once, before any of them.
  await getReaper(await getContainerRuntimeClient());
}

async function decideRyuk(engine: Engine, log: Logger): Promise<void> {
  if (process.env.TESTCONTAINERS_RYUK_DISABLED !== undefined) return; // the user chose
  if (await imagePresent(engine.docker, ImageName.fromString(RYUK_IMAGE).string)) return;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  log.debug(`${RYUK_IMAGE} not present: leftovers are removed by faultline's watchdog and reaper`);
}
