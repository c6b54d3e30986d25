/** `ctrx leases list [filter...]`: Leases.List as ctr's ID CREATED AT LABELS table. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, formatLabels, out, printJSON, withClient, withFormat } from '../context';
import { timestampToDate, toJSONValue } from '../../internal/api/json';
import { table } from '../../internal/output/tabwriter';
import { localRFC3339 } from '../../internal/progress/units';

type Args = GlobalArgs & { filters?: string[]; quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list [filters..]',
  aliases: ['ls'],
  describe: 'List all active leases',
  builder: (y) =>
    withFormat(
      y
        .positional('filters', { type: 'string', array: true })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the lease IDs' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const res = await c.unary('containerd.services.leases.v1.Leases', 'List', { filters: argv.filters ?? [] });
      const leases = res.leases;
      if (argv.format === 'json') {
        printJSON(leases.map((l) => toJSONValue('containerd.services.leases.v1.Lease', l)));
      } else if (argv.quiet) {
        out(leases.map((l) => `${l.id}\n`).join(''));
      } else {
        const rows = leases.map((l) => [l.id, localRFC3339(timestampToDate(l.created_at) ?? new Date(0)), formatLabels(l.labels)]);
        out(table(['ID', 'CREATED AT', 'LABELS'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }));
      }
    });
  },
};
export default command;
