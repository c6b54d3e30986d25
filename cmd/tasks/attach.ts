/** `ctrx tasks attach`: reopen a running task's FIFOs, stay until it exits, then delete it (like ctr); --detach-keys leaves it running. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; 'detach-keys'?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'attach [id]',
  describe: 'Attach to the IO of a running container',
  builder: (y) =>
    y.option('detach-keys', {
      type: 'string',
      describe: 'Key sequence that detaches and leaves the task running, e.g. ctrl-p,ctrl-q (ctrx; ctr has none)',
    }) as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    const { parseDetachKeys } = await import('../../internal/stdio/detach-keys');
    // Checked before anything is opened.
    const detachKeys = argv['detach-keys'] === undefined ? undefined : parseDetachKeys(argv['detach-keys']);
    await withClient(argv, async (client) => {
      const { attachTask } = await import('../../internal/containers/attach');
      await attachTask(client, id, { detachKeys });
    });
  },
};
export default command;
