/** `ctrx containers list` (ls): CONTAINER IMAGE RUNTIME, filters as arguments, -q, --format json. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';

type Args = GlobalArgs & { filters?: string[]; quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list [filters..]',
  aliases: ['ls'],
  describe: 'List containers',
  builder: (y) => withFormat(y.option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the container id' })) as never,
  handler: async (argv) => {
    await withClient(argv, async (client) => {
      const { listContainers } = await import('../../internal/containers/list');
      const list = await listContainers(client, (argv.filters ?? []).map(String));
      if (argv.format === 'json') {
        const { toJSONValue } = await import('../../internal/api/json');
        printJSON(list.map((c) => toJSONValue('containerd.services.containers.v1.Container', c)));
      } else if (argv.quiet) out(list.map((c) => `${c.id}\n`).join(''));
      else {
        const { table } = await import('../../internal/output/tabwriter');
        const rows = list.map((c) => [c.id, c.image || '-', c.runtime?.name ?? '']);
        out(table(['CONTAINER', 'IMAGE', 'RUNTIME'], rows, { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' }, { headerTerminated: true, rowsTerminated: true }));
      }
    });
  },
};
export default command;
