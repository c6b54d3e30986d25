/** `ctrx namespaces list`: Namespaces.List, as ctr's NAME LABELS table. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, formatLabels, out, printJSON, withClient, withFormat } from '../context';
import { toJSONValue } from '../../internal/api/json';
import { table } from '../../internal/output/tabwriter';

type Args = GlobalArgs & { quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'List namespaces',
  builder: (y) => withFormat(y.option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the namespace name' })),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      // List already carries the labels: one call where ctr makes one more per namespace.
      const res = await c.unary('containerd.services.namespaces.v1.Namespaces', 'List', {});
      const nss = [...res.namespaces].sort((a, b) => a.name.localeCompare(b.name));
      if (argv.format === 'json') {
        printJSON(nss.map((n) => toJSONValue('containerd.services.namespaces.v1.Namespace', n)));
      } else if (argv.quiet) {
        out(nss.map((n) => n.name + '\n').join(''));
      } else {
        const rows = nss.map((n) => [n.name, formatLabels(n.labels, '')]);
        out(table(['NAME', 'LABELS'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }));
      }
    });
  },
};
export default command;
