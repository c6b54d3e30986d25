/** `ctrx snapshots usage [KEY...]`: Snapshots.Usage of each (all when none given), as ctr's KEY SIZE INODES table. */
import type { CommandModule } from 'yargs';
import { out, printJSON, withClient, withFormat } from '../context';
import type { SnapshotArgs } from './args';
import { table } from '../../internal/output/tabwriter';
import { bytes } from '../../internal/progress/units';
import { SNAPSHOTS, listSnapshots, snapshotterOf } from '../../internal/snapshots/snapshots';
import { wrap } from '../../internal/errdefs';

type Args = SnapshotArgs & { keys?: string[]; b: boolean; format: string };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'usage [keys..]',
  describe: 'Usage snapshots',
  builder: (y) =>
    withFormat(y.positional('keys', { type: 'string', array: true }).option('b', { type: 'boolean', default: false, describe: 'Display size in bytes' })),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const snapshotter = await snapshotterOf(c, argv);
      const keys = argv.keys?.length ? argv.keys : (await listSnapshots(c, snapshotter)).map((i) => i.name);
      // One Usage call per snapshot, as ctr makes, but all in flight at once.
      const usages = await Promise.all(
        keys.map((key) =>
          c.unary(SNAPSHOTS, 'Usage', { snapshotter, key }).catch((e) => {
            throw wrap(e, `usage of snapshot ${JSON.stringify(key)}`);
          }),
        ),
      );
      if (argv.format === 'json') {
        printJSON(keys.map((key, i) => ({ key, size: usages[i].size, inodes: usages[i].inodes })));
        return;
      }
      const size = (s: string) => (argv.b ? s : bytes(Number(s)));
      const rows = keys.map((key, i) => [key, size(usages[i].size), usages[i].inodes]);
      out(table(['KEY', 'SIZE', 'INODES'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }));
    });
  },
};
export default command;
