/** `ctrx snapshots mounts TARGET KEY`: Snapshots.Mounts as mount(8) command lines. */
import type { CommandModule } from 'yargs';
import { out, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError, wrap } from '../../internal/errdefs';
import { SNAPSHOTS, daemonStyle, mountLines, mountsAsGoJSON, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { target?: string; key?: string; mounts: boolean };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'mounts [target] [key]',
  aliases: ['m', 'mount'],
  describe: 'Mount gets mount commands for the snapshots',
  builder: (y) =>
    y
      .positional('target', { type: 'string' })
      .positional('key', { type: 'string' })
      .option('mounts', { type: 'boolean', default: false, describe: 'Print the mounts as JSON instead' })
      .option('temp', { type: 'boolean', default: false, hidden: true, describe: 'Mount as a temp mount (containerd 2.2+ Mounts service)' }),
  handler: async (argv) => {
    if (!argv.target || !argv.key) throw new UsageError('a mount target and a snapshot key must be provided');
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      const { mounts } = await c.unary(SNAPSHOTS, 'Mounts', { snapshotter, key: argv.key }).catch((e) => {
        throw wrap(e, `mounts of snapshot ${JSON.stringify(argv.key)}`);
      });
      const style = await daemonStyle(c);
      out(argv.mounts ? mountsAsGoJSON(mounts, style) : mountLines(argv.target!, mounts, style));
    });
  },
};
export default command;
