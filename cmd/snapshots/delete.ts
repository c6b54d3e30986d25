/** `ctrx snapshots delete KEY...`: Snapshots.Remove for each. */
import type { CommandModule } from 'yargs';
import { withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError, wrap } from '../../internal/errdefs';
import { SNAPSHOTS, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { keys?: string[] };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'delete [keys..]',
  aliases: ['del', 'remove', 'rm'],
  describe: 'Remove snapshots',
  builder: (y) => y.positional('keys', { type: 'string', array: true }),
  handler: async (argv) => {
    const keys = argv.keys ?? [];
    if (!keys.length) throw new UsageError('at least one snapshot key must be provided');
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      // ctr stops at the first failure: later keys are left alone.
      for (const key of keys) {
        await c.unary(SNAPSHOTS, 'Remove', { snapshotter, key }).catch((e) => {
          throw wrap(e, `failed to remove ${JSON.stringify(key)}`);
        });
      }
    });
  },
};
export default command;
