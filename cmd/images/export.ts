/**
 * `ctrx images export OUT|- IMAGE...`: an OCI layout tar with a
 * docker-compatible manifest.json (client path on every containerd line; see
 * internal/archive/export.ts). A file is written under a temporary name and
 * renamed when complete, so a failed export leaves nothing behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { parsePlatform } from '../../internal/platforms';
import { ProgressDisplay, modeFor } from '../../internal/progress/display';
import { dashArg, endStream } from '../../internal/archive/stream-util';
import { exportImages } from '../../internal/archive/export';

type Args = GlobalArgs & {
  out?: string;
  images?: string[];
  'skip-manifest-json': boolean;
  'skip-non-distributable': boolean;
  platform?: string[];
  'all-platforms': boolean;
  local: boolean;
  quiet: boolean;
};

const command: CommandModule<GlobalArgs, Args> = {
  command: 'export [out] [images..]',
  describe: 'Export images',
  builder: (y) =>
    y
      .positional('out', { type: 'string', describe: 'output file, or - for stdout' })
      .positional('images', { type: 'string', array: true })
      .option('skip-manifest-json', { type: 'boolean', default: false, describe: 'Do not add Docker compatible manifest.json to archive' })
      .option('skip-non-distributable', { type: 'boolean', default: false, describe: 'Do not add non-distributable blobs such as Windows layers to archive' })
      .option('platform', { type: 'string', array: true, describe: 'Export content from a specific platform' })
      .option('all-platforms', { type: 'boolean', default: false, describe: 'Exports content from all platforms' })
      .option('local', { type: 'boolean', default: true, describe: 'Run export locally rather than through transfer API (ctrx always exports on the client)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress display (ctrx)' }),
  handler: async (argv) => {
    const dest = dashArg(argv.out);
    const images = argv.images ?? [];
    if (!dest || !images.length) throw new UsageError('please provide both an output filename and an image reference to export');
    const platforms = (argv.platform ?? []).map((p) => {
      try {
        return parsePlatform(p);
      } catch (e) {
        throw new UsageError(`invalid platform ${JSON.stringify(p)}: ${(e as Error).message}`);
      }
    });
    await withClient(argv, async (c) => {
      // Progress goes to stderr: stdout may be the archive itself.
      const mode = modeFor(process.stderr, { quiet: argv.quiet });
      const progress = mode === 'off' ? undefined : new ProgressDisplay(process.stderr, mode);
      const opts = { platforms, allPlatforms: argv['all-platforms'], skipManifestJson: argv['skip-manifest-json'], skipNonDistributable: argv['skip-non-distributable'], progress };
      try {
        if (dest === '-') {
          await exportImages(c, images, process.stdout, opts);
          return;
        }
        const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.ctrx-${process.pid}`);
        const file = fs.createWriteStream(tmp);
        try {
          await exportImages(c, images, file, opts);
          await endStream(file);
          fs.renameSync(tmp, dest);
        } catch (err) {
          file.destroy();
          fs.rmSync(tmp, { force: true });
          throw err;
        }
      } finally {
        progress?.stop();
      }
    });
  },
};
export default command;
