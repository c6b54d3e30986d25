/** `ctrx snapshots label NAME [k=v ...]`: Snapshots.Update of the named labels (empty value clears), printing the result. */
import type { CommandModule } from 'yargs';
import { formatLabels, labelArgs, out, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError, wrap } from '../../internal/errdefs';
import { SNAPSHOTS, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { name?: string; labels?: string[] };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'label [name] [labels..]',
  describe: 'Add labels to content',
  builder: (y) => y.positional('name', { type: 'string' }).positional('labels', { type: 'string', array: true }),
  handler: async (argv) => {
    if (!argv.name) throw new UsageError('snapshot name must be provided');
    const name = argv.name;
    const given = labelArgs(argv.labels);
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      const paths = Object.keys(given).map((k) => `labels.${k}`);
      const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== ''));
      const res = await (paths.length
        ? c.unary(SNAPSHOTS, 'Update', { snapshotter, info: { name, labels: set }, update_mask: { paths } })
        : c.unary(SNAPSHOTS, 'Stat', { snapshotter, key: name })
      ).catch((e) => {
        throw wrap(e, `label snapshot ${JSON.stringify(name)}`);
      });
      // ctr prints Go map order; sorted is the stable equivalent.
      out(formatLabels(res.info?.labels, '') + '\n');
    });
  },
};
export default command;
