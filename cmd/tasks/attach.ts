/** `ctrx tasks attach`: reopen a running task's FIFOs, stay until it exits, then delete it (like ctr). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'attach [id]',
  describe: 'Attach to the IO of a running container',
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { attachTask } = await import('../../internal/containers/attach');
      await attachTask(client, id);
    });
  },
};
export default command;
