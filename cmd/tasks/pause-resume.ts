/** `tasks pause` and `tasks resume`: the same checks, then Tasks.Pause or Tasks.Resume. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string };

/** A verb that looks the container and its task up (as ctr does) and then calls `method`. */
export function taskStateCommand(method: 'Pause' | 'Resume', describe: string): CommandModule<GlobalArgs, Args> {
  return {
    command: `${method.toLowerCase()} [id]`,
    describe,
    handler: async (argv) => {
      const [id] = requireArgs(argv.id, 'container id');
      await withClient(argv, async (client) => {
        const { getContainer, getTask } = await import('../../internal/containers/task');
        await getContainer(client, id);
        await getTask(client, id);
        await client.unary('containerd.services.tasks.v1.Tasks', method, { container_id: id });
      });
    },
  };
}
