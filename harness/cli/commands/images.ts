/** `faultline images`: which docker runtime images are present, and building them where none can be pulled. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { createLogger } from '../../core/logger.ts';
import { connectEngine, missingImages } from '../../runtime/docker/engine.ts';
import { buildImages } from '../../runtime/docker/image-build.ts';
import { type ImageRole, imageEnvVar, images } from '../../runtime/docker/images.ts';

interface ImagesOptions {
  action: 'list' | 'build';
  force: boolean;
  mirror?: string;
}

export const imagesCommand: CommandModule<object, ImagesOptions> = {
  command: 'images [action]',
  describe: 'List the docker runtime’s images, or build them here from Debian packages',
  builder: (yargs: Argv) =>
    yargs
      .positional('action', {
        choices: ['list', 'build'] as const,
        default: 'list' as const,
        describe: 'list: which images are present; build: make the missing ones locally',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Rebuild even images that are up to date or official',
      })
      .option('mirror', { type: 'string', describe: 'Debian mirror for debootstrap' })
      .example('$0 images', 'which images the docker runtime would start, and which are here')
      .example(
        'sudo $0 images build',
        'no registry reachable: build equivalents from Debian packages (about 2 minutes)',
      )
      .epilogue(
        'Image names can be overridden per role with FAULTLINE_IMAGE_POSTGRES, _REDIS, _HAPROXY, _VARNISH, _TOXIPROXY, _NODE.',
      ) as unknown as Argv<ImagesOptions>,
  handler: async (argv: ArgumentsCamelCase<ImagesOptions>) => {
    const engine = await connectEngine();
    const set = images();
    if (argv.action === 'list') {
      const missing = new Set((await missingImages(engine.docker, set)).map(([role]) => role));
      for (const [role, name] of Object.entries(set) as [ImageRole, string][]) {
        const here = missing.has(role) ? 'missing' : 'present';
        process.stdout.write(`${here.padEnd(8)} ${role.padEnd(10)} ${name}  (${imageEnvVar(role)})\n`);
      }
      return;
    }
    const log = createLogger('info');
    const started = Date.now();
    const outcomes = await buildImages(engine, set, {
      force: argv.force,
      ...(argv.mirror ? { mirror: argv.mirror } : {}),
      log: (line) => log.info(line),
    });
    for (const [role, outcome] of Object.entries(outcomes)) {
      process.stdout.write(`${role.padEnd(10)} ${outcome}\n`);
    }
    process.stdout.write(`images ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  },
};
