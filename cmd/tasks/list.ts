/** `ctrx tasks list` (ls): TASK PID STATUS, -q, --format json. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';

type Args = GlobalArgs & { quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'List tasks',
  builder: (y) => withFormat(y.option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the task id' })) as never,
  handler: async (argv) => {
    await withClient(argv, async (client) => {
      const { tasks } = await client.unary('containerd.services.tasks.v1.Tasks', 'List', {});
      if (argv.format === 'json') {
        const { toJSONValue } = await import('../../internal/api/json');
        printJSON(tasks.map((t) => toJSONValue('containerd.v1.types.Process', t)));
      } else if (argv.quiet) out(tasks.map((t) => `${t.id}\n`).join(''));
      else {
        const { table } = await import('../../internal/output/tabwriter');
        out(table(['TASK', 'PID', 'STATUS'], tasks.map((t) => [t.id, String(t.pid), t.status]), { minwidth: 4, tabwidth: 8, padding: 4, padchar: ' ' }, { headerTerminated: true, rowsTerminated: false }));
      }
    });
  },
};
export default command;
