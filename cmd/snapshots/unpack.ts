/** `ctrx snapshots unpack DIGEST`: unpack the image whose target is DIGEST into snapshots. */
import type { CommandModule } from 'yargs';
import { out, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError } from '../../internal/errdefs';

type Args = SnapshotArgs & { digest?: string; 'sync-fs': boolean };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'unpack [digest]',
  describe: 'Unpack applies layers from a manifest to a snapshot',
  builder: (y) =>
    y
      .positional('digest', { type: 'string', describe: "an image's target digest" })
      .option('sync-fs', { type: 'boolean', default: false, describe: 'Synchronize the underlying filesystem containing files when unpack images, false by default' }),
  handler: async (argv) => {
    const digest = argv.digest ?? '';
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) throw new UsageError(`invalid digest ${JSON.stringify(digest)}`);
    const { unpackImage } = await import('../../internal/unpack/unpack');
    await withClient(argv, async (c) => {
      // ctr looks the digest up among the images' targets (no unpack by name).
      const { images } = await c.unary('containerd.services.images.v1.Images', 'List', {});
      const image = images.find((i) => i.target?.digest === digest);
      if (!image) throw new Error(`unpack ${digest}: manifest not found`);
      out(`unpacking ${digest} (${image.target!.media_type})...`);
      try {
        await unpackImage(c, image, { snapshotter: argv.snapshotter || undefined, syncFs: argv['sync-fs'] });
      } catch (err) {
        out('\n');
        throw err;
      }
      out('done\n');
    });
  },
};
export default command;
