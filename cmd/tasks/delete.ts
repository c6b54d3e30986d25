/** `ctrx tasks delete` (del, remove, rm): stopped tasks (-f kills first); --exec-id deletes one exec process. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { ids?: string[]; force: boolean; 'exec-id'?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'delete [ids..]',
  aliases: ['del', 'remove', 'rm'],
  describe: 'Delete one or more tasks',
  builder: (y) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Force delete task process' })
      .option('exec-id', { type: 'string', describe: 'Process ID to kill' }) as never,
  handler: async (argv) => {
    const ids = requireArgs(argv.ids, 'container id');
    await withClient(argv, async (client) => {
      const { deleteTasks } = await import('../../internal/containers/task-delete');
      await deleteTasks(client, ids, argv.force, argv['exec-id'] ?? '');
    });
  },
};
export default command;
