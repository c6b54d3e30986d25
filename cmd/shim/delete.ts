/** `ctrx shim delete [ID]`: Task.Delete of the shim's task (or of exec ID). */
import type { CommandModule } from 'yargs';
import { out } from '../context';
import { type ShimArgs, withShim } from './args';

type Args = ShimArgs & { task?: string; 'exec-id'?: string };

const command: CommandModule<ShimArgs, Args> = {
  command: 'delete [task]',
  describe: 'Delete a container with a task',
  builder: (y) =>
    y
      .positional('task', { type: 'string', describe: 'task ID (default: --id)' })
      .option('exec-id', { type: 'string', describe: 'an exec process of the task instead of its init process' }),
  handler: async (argv) => {
    await withShim(argv, async (t) => {
      const r = await t.call<{ exit_status: number }>('Delete', { id: argv.task ?? argv.id ?? '', exec_id: argv['exec-id'] ?? '' }, { request: 'DeleteRequest', response: 'DeleteResponse' });
      out(`container deleted and returned exit status ${r.exit_status}\n`);
    });
  },
};
export default command;
