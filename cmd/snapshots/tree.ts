/** `ctrx snapshots tree`: the parent chains of every snapshot, as ctr draws them. */
import type { CommandModule } from 'yargs';
import { out, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { listSnapshots, renderTree, snapshotterOf } from '../../internal/snapshots/snapshots';

const command: CommandModule<SnapshotArgs, SnapshotArgs> = {
  command: 'tree',
  describe: 'Display tree view of snapshot branches',
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      out(renderTree(await listSnapshots(c, await snapshotterOf(c, argv))));
    });
  },
};
export default command;
