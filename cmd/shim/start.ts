/** `ctrx shim start [ID]`: Task.Start of the shim's task (or of exec ID). */
import type { CommandModule } from 'yargs';
import { type ShimArgs, withShim } from './args';

type Args = ShimArgs & { task?: string; 'exec-id'?: string };

const command: CommandModule<ShimArgs, Args> = {
  command: 'start [task]',
  describe: 'Start a container with a task',
  builder: (y) =>
    y
      .positional('task', { type: 'string', describe: 'task ID (default: --id)' })
      .option('exec-id', { type: 'string', describe: 'an exec process of the task instead of its init process' }),
  handler: async (argv) => {
    await withShim(argv, async (t) => {
      // ctr prints nothing here.
      await t.call('Start', { id: argv.task ?? argv.id ?? '', exec_id: argv['exec-id'] ?? '' }, { request: 'StartRequest', response: 'StartResponse' });
    });
  },
};
export default command;
