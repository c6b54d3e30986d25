/**
 * `ctrx images export OUT|- IMAGE...`: an OCI layout tar with a
 * docker-compatible manifest.json. On containerd 2.x the daemon writes it and
 * streams it back (Transfer service, internal/transfer/archive.ts); on 1.x,
 * or with --local, ctrx writes it (internal/archive/export.ts). A file is
 * written under a temporary name and renamed when complete, so a failed or
 * interrupted export leaves nothing behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Writable } from 'stream';
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { parsePlatform } from '../../internal/platforms';
import { ProgressDisplay, modeFor } from '../../internal/progress/display';
import { dashArg, endStream } from '../../internal/archive/stream-util';
import { exportImages } from '../../internal/archive/export';
import { useTransfer } from '../../internal/registry-flags';
import { interruptible } from '../../internal/util/interrupt';

type Args = GlobalArgs & {
  out?: string;
  images?: string[];
  'skip-manifest-json': boolean;
  'skip-non-distributable': boolean;
  platform?: string[];
  'all-platforms': boolean;
  local: boolean;
  transfer: boolean;
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
      .option('local', { type: 'boolean', default: false, describe: 'Run export locally rather than through transfer API (always local on containerd 1.x)' })
      .option('transfer', { type: 'boolean', default: false, describe: 'Export through the Transfer service of containerd 1.7+ (the 2.x default)' })
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
    await withClient(argv, (c) =>
      interruptible(c, `export ${dest === '-' ? 'to stdout' : dest}`, async (onAbort) => {
        const transfer = await useTransfer(c, argv, []);
        // Progress goes to stderr: stdout may be the archive itself. ctr 2.x shows none on the Transfer path.
        const mode = transfer ? 'off' : modeFor(process.stderr, { quiet: argv.quiet });
        const progress = mode === 'off' ? undefined : new ProgressDisplay(process.stderr, mode);
        const opts = { platforms, allPlatforms: argv['all-platforms'], skipManifestJson: argv['skip-manifest-json'], skipNonDistributable: argv['skip-non-distributable'], progress };
        const write = async (sink: NodeJS.WritableStream) => {
          if (!transfer) return exportImages(c, images, sink as Writable, opts);
          const { transferExport } = await import('../../internal/transfer/archive');
          await transferExport(c, images, sink, opts);
        };
        try {
          if (dest === '-') {
            await write(process.stdout);
            return;
          }
          const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.ctrx-${process.pid}`);
          const file = fs.createWriteStream(tmp);
          const drop = () => {
            file.destroy();
            fs.rmSync(tmp, { force: true });
          };
          onAbort(drop);
          try {
            await write(file);
            await endStream(file);
            fs.renameSync(tmp, dest);
          } catch (err) {
            drop();
            throw err;
          }
        } finally {
          progress?.stop();
        }
      }),
    );
  },
};
export default command;
