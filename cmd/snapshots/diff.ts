/** `ctrx snapshots diff A [B]`: the layer between two snapshots (B defaults to A's parent), written to stdout. */
import type { CommandModule } from 'yargs';
import { labelArgs, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError, wrap } from '../../internal/errdefs';
import { GC_ROOT_LABEL, gcRootNow, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { idA?: string; idB?: string; 'media-type': string; ref?: string; keep: boolean; label?: string[] };

const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'diff [idA] [idB]',
  describe: "Get the diff of two snapshots. the default second snapshot is the first snapshot's parent.",
  builder: (y) =>
    y
      .positional('idA', { type: 'string', describe: 'the snapshot to diff' })
      .positional('idB', { type: 'string', describe: "the other snapshot (default: idA's parent)" })
      .option('media-type', { type: 'string', default: GZIP_LAYER, describe: 'Media type to use for creating diff' })
      .option('ref', { type: 'string', describe: 'Content upload reference to use' })
      .option('keep', { type: 'boolean', default: false, describe: 'Keep diff content. up to creator to delete it.' })
      .option('label', { type: 'string', array: true, describe: 'Labels to attach to the diff content' }),
  handler: async (argv) => {
    if (!argv.idA) throw new UsageError('snapshot id must be provided');
    const { diffSnapshots } = await import('../../internal/snapshots/diff');
    const { withTempLease } = await import('../../internal/leases/temp-lease');
    const { readBlob } = await import('../../internal/content/store');
    const labels = labelArgs(argv.label);
    if (argv.keep) labels[GC_ROOT_LABEL] = gcRootNow();
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      await withTempLease(c, async () => {
        const desc = await diffSnapshots(c, snapshotter, argv.idA!, argv.idB, { mediaType: argv['media-type'], ref: argv.ref, labels }).catch((e) => {
          throw wrap(e, `diff of snapshot ${JSON.stringify(argv.idA)}${argv.idB ? ` and ${JSON.stringify(argv.idB)}` : ''}`);
        });
        for await (const chunk of readBlob(c, desc.digest)) {
          if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
        }
      });
    });
  },
};
export default command;
