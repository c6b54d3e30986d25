/** `ctrx tasks resume`: Tasks.Resume. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'resume [id]',
  describe: 'Resume a paused container',
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { getContainer, getTask } = await import('../../internal/containers/task');
      await getContainer(client, id);
      await getTask(client, id);
      await client.unary('containerd.services.tasks.v1.Tasks', 'Resume', { container_id: id });
    });
  },
};
export default command;
