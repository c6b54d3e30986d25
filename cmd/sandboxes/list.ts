/** `ctrx sandboxes list`: Store.List as ctr's ID CREATED RUNTIME table. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';
import { toJSONValue } from '../../internal/api/json';
import { table } from '../../internal/output/tabwriter';
import { goTimeString } from '../../internal/events/go-time';
import { SANDBOX_STORE, sandboxCall } from '../../internal/sandboxes/sandboxes';

type Args = GlobalArgs & { filters?: string[]; quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'List sandboxes',
  builder: (y) =>
    withFormat(
      y
        .option('filters', { type: 'string', array: true, describe: 'The list of filters to apply when querying sandboxes from the store' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the sandbox IDs' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const { list } = await sandboxCall(c, () => c.unary(SANDBOX_STORE, 'List', { filters: argv.filters ?? [] }));
      if (argv.format === 'json') printJSON(list.map((s) => toJSONValue('containerd.types.Sandbox', s)));
      else if (argv.quiet) out(list.map((s) => `${s.sandbox_id}\n`).join(''));
      else {
        const rows = list.map((s) => [s.sandbox_id, goTimeString(s.created_at), s.runtime?.name ?? '']);
        out(table(['ID', 'CREATED', 'RUNTIME'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }));
      }
    });
  },
};
export default command;
