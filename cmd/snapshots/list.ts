/** `ctrx snapshots list`: Snapshots.List as ctr's KEY PARENT KIND table. */
import type { CommandModule } from 'yargs';
import { out, printJSON, withClient, withFormat } from '../context';
import type { SnapshotArgs } from './args';
import { toJSONValue } from '../../internal/api/json';
import { table } from '../../internal/output/tabwriter';
import { kindName, listSnapshots, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { filters?: string[]; quiet: boolean; format: string };

const command: CommandModule<SnapshotArgs, Args> = {
  command: 'list [filters..]',
  aliases: ['ls'],
  describe: 'List snapshots',
  builder: (y) =>
    withFormat(
      y
        .positional('filters', { type: 'string', array: true, describe: 'containerd filters, e.g. kind==active, parent==KEY' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the snapshot keys' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const infos = await listSnapshots(c, await snapshotterOf(c, argv), argv.filters ?? []);
      if (argv.format === 'json') printJSON(infos.map((i) => toJSONValue('containerd.services.snapshots.v1.Info', i)));
      else if (argv.quiet) out(infos.map((i) => `${i.name}\n`).join(''));
      else {
        const rows = infos.map((i) => [i.name, i.parent, kindName(i.kind)]);
        out(table(['KEY', 'PARENT', 'KIND'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }, { headerTerminated: true, rowsTerminated: true }));
      }
    });
  },
};
export default command;
