/** `ctrx snapshots info KEY`: Snapshots.Stat, as ctr's JSON of snapshots.Info (or --format json). */
import type { CommandModule } from 'yargs';
import { out, printJSON, requireArgs, withClient, withFormat } from '../context';
import type { SnapshotArgs } from './args';
import { toJSONValue } from '../../internal/api/json';
import { SNAPSHOTS, infoAsGoJSON, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { key?: string; format: string };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'info [key]',
  describe: 'Get info about a snapshot',
  builder: (y) => withFormat(y.positional('key', { type: 'string' }), ['go', 'json'], 'go'),
  handler: async (argv) => {
    const [key] = requireArgs(argv.key, 'snapshot key');
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      // The daemon's message names the snapshot already ("snapshot K does not exist").
      const { info } = await c.unary(SNAPSHOTS, 'Stat', { snapshotter, key });
      if (argv.format === 'json') printJSON(toJSONValue('containerd.services.snapshots.v1.Info', info));
      else out(infoAsGoJSON(info!));
    });
  },
};
export default command;
