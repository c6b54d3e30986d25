/** `ctrx snapshots commit NAME ACTIVE`: Snapshots.Commit with ctr's gc.root label. */
import type { CommandModule } from 'yargs';
import { labelArgs, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError, wrap } from '../../internal/errdefs';
import { GC_ROOT_LABEL, SNAPSHOTS, gcRootNow, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { name?: string; active?: string; label?: string[] };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'commit [name] [active]',
  describe: 'Commit an active snapshot into the provided name',
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'the committed snapshot to create' })
      .positional('active', { type: 'string', describe: 'the active snapshot to commit' })
      .option('label', { type: 'string', array: true, describe: 'Extra labels for the committed snapshot (k=v)' }),
  handler: async (argv) => {
    if (!argv.name || !argv.active) throw new UsageError('a name and an active snapshot key must be provided');
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      const labels = { [GC_ROOT_LABEL]: gcRootNow(), ...labelArgs(argv.label) };
      await c.unary(SNAPSHOTS, 'Commit', { snapshotter, name: argv.name, key: argv.active, labels }).catch((e) => {
        throw wrap(e, `commit ${JSON.stringify(argv.active)} as ${JSON.stringify(argv.name)}`);
      });
    });
  },
};
export default command;
