/**
 * `ctrx images import FILE|-`: OCI layout and docker save archives into the
 * store. As ctr of the daemon's release does: containerd 2.x streams the
 * archive to the daemon's Transfer service (internal/transfer/archive.ts),
 * 1.x (and --local, or a flag only the client path has) reads it here
 * (internal/archive/import-images.ts, ctr's "unpacking ...done" lines).
 * Ctrl-C keeps the partial work under an expiring lease; a re-run resumes.
 */
import * as fs from 'fs';
import type { Readable } from 'stream';
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { parsePlatform, type Platform } from '../../internal/platforms';
import type { Client } from '../../internal/client/client';
import { snapshotterFlag } from '../../internal/snapshotter';
import { ProgressDisplay, modeFor } from '../../internal/progress/display';
import { dashArg } from '../../internal/archive/stream-util';
import { setFlags, useTransfer } from '../../internal/registry-flags';
import { interruptible } from '../../internal/util/interrupt';

type Args = GlobalArgs & {
  in?: string;
  'base-name': string;
  digests: boolean;
  'skip-digest-for-named': boolean;
  'index-name'?: string;
  'all-platforms': boolean;
  platform?: string;
  'no-unpack': boolean;
  local: boolean;
  transfer: boolean;
  'compress-blobs': boolean;
  'discard-unpacked-layers': boolean;
  'sync-fs': boolean;
  snapshotter: string;
  label?: string[];
  quiet: boolean;
};

const command: CommandModule<GlobalArgs, Args> = {
  command: 'import [in]',
  describe: 'Import images',
  builder: (y) =>
    y
      .positional('in', { type: 'string', describe: 'archive file, or - for stdin' })
      .option('base-name', { type: 'string', default: '', describe: 'Base image name for added images, when provided only images with this name prefix are imported' })
      .option('digests', { type: 'boolean', default: false, describe: 'Whether to create digest images' })
      .option('skip-digest-for-named', { type: 'boolean', default: false, describe: 'Skip applying --digests option to images named in the importing tar (use it in conjunction with --digests)' })
      .option('index-name', { type: 'string', describe: 'Image name to keep index as, by default index is discarded' })
      .option('all-platforms', { type: 'boolean', default: false, describe: 'Imports content for all platforms, false by default' })
      .option('platform', { type: 'string', describe: 'Imports content for specific platform' })
      .option('no-unpack', { type: 'boolean', default: false, describe: 'Skip unpacking the images, false by default' })
      .option('local', { type: 'boolean', default: false, describe: 'Run import locally rather than through transfer API (always local on containerd 1.x)' })
      .option('transfer', { type: 'boolean', default: false, describe: 'Import through the Transfer service of containerd 1.7+ (the 2.x default)' })
      .option('compress-blobs', { type: 'boolean', default: false, describe: 'Compress uncompressed blobs when creating manifest (Docker format only)' })
      .option('discard-unpacked-layers', { type: 'boolean', default: false, describe: 'Allow the garbage collector to clean layers up from the content store after unpacking' })
      .option('sync-fs', { type: 'boolean', default: false, describe: 'Synchronize the underlying filesystem containing files when unpack images' })
      .option('snapshotter', snapshotterFlag)
      .option('label', { type: 'string', array: true, describe: 'Labels to attach to the image' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress display (ctrx)' }),
  handler: async (argv) => {
    const src = dashArg(argv.in);
    if (!src) throw new UsageError('please provide an archive to import (a file, or - for stdin)');
    if (argv['skip-digest-for-named'] && !argv.digests) throw new UsageError('--skip-digest-for-named must be specified with --digests option');
    const platform = argv.platform ? parsePlatform(argv.platform) : undefined;
    let input: Readable;
    const openInput = (chunk: number): Readable => {
      if (src === '-') return process.stdin;
      try {
        fs.accessSync(src, fs.constants.R_OK);
      } catch (e) {
        throw new Error(`open ${src}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      }
      return fs.createReadStream(src, { highWaterMark: chunk });
    };
    await withClient(argv, (c) =>
      interruptible(c, `import ${src === '-' ? 'from stdin' : src}`, async (onAbort) => {
        const transfer = await useTransfer(c, argv, setFlags(argv, LOCAL_ONLY));
        // The transfer path sends 32 KiB pieces; the client path writes 1 MiB ones.
        input = openInput(transfer ? 64 << 10 : 1 << 20);
        onAbort(() => input.destroy());
        if (transfer) {
          await transferImport(c, input, argv, platform);
          return;
        }
        const { importImages } = await import('../../internal/archive/import-images');
        const mode = modeFor(process.stdout, { quiet: argv.quiet });
        const progress = mode === 'off' ? undefined : new ProgressDisplay(process.stdout, mode);
        try {
          await importImages(c, input, {
            baseName: argv['base-name'],
            digests: argv.digests,
            skipDigestForNamed: argv['skip-digest-for-named'],
            indexName: argv['index-name'],
            allPlatforms: argv['all-platforms'],
            platform,
            compress: argv['compress-blobs'],
            noUnpack: argv['no-unpack'],
            snapshotter: argv.snapshotter,
            labels: argv.label ? labelArgs(argv.label) : undefined,
            discardUnpackedLayers: argv['discard-unpacked-layers'],
            syncFs: argv['sync-fs'],
            progress,
            write: out,
          });
        } finally {
          progress?.stop();
        }
      }),
    );
  },
};
export default command;

/** Flags the Transfer path cannot honour (ctr 2.x: `"--x" requires "--local" flag`); ctrx then imports locally. */
const LOCAL_ONLY = ['discard-unpacked-layers', 'sync-fs'];

/** The Transfer-service import, with ctr 2.x's progress display. */
async function transferImport(c: Client, input: Readable, argv: Args, platform: Platform | undefined): Promise<void> {
  const { transferImport: run } = await import('../../internal/transfer/archive');
  const { TransferDisplay } = await import('../../internal/transfer/progress');
  const { progressMode } = await import('../../internal/remotes/progress');
  const display = new TransferDisplay(progressMode(argv.quiet), 'import', '');
  try {
    await run(
      c,
      input,
      {
        indexName: argv['index-name'],
        baseName: argv['base-name'],
        digests: argv.digests,
        skipDigestForNamed: argv['skip-digest-for-named'],
        allPlatforms: argv['all-platforms'],
        platform,
        noUnpack: argv['no-unpack'],
        snapshotter: argv.snapshotter,
        labels: argv.label ? labelArgs(argv.label) : undefined,
        compress: argv['compress-blobs'],
      },
      (e) => display.handle(e),
    );
  } catch (err) {
    display.abort();
    throw err;
  }
  display.finish();
}
