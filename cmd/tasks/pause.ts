/** `ctrx tasks pause`: Tasks.Pause. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'pause [id]',
  describe: 'Pause an existing container',
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { getContainer, getTask } = await import('../../internal/containers/task');
      await getContainer(client, id);
      await getTask(client, id);
      await client.unary('containerd.services.tasks.v1.Tasks', 'Pause', { container_id: id });
    });
  },
};
export default command;
