/** `ctrx containers restore`: a container and its task from a checkpoint image. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; ref?: string; rw: boolean; live: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'restore [id] [ref]',
  describe: 'Restore a container from checkpoint',
  builder: (y) =>
    y
      .option('rw', { type: 'boolean', default: false, describe: 'Restore the rw layer from the checkpoint' })
      .option('live', { type: 'boolean', default: false, describe: 'Restore the runtime and memory data from the checkpoint' })
      .usage('ctrx containers restore [flags] CONTAINER REF') as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    const [ref] = requireArgs(argv.ref, 'ref');
    await withClient(argv, async (client) => {
      const { restore } = await import('../../internal/containers/restore');
      const { daemonFlavour } = await import('../../internal/containers/new-container');
      const { exitWith } = await import('../../internal/containers/task');
      const { currentConsole } = await import('../../internal/stdio/tty');
      const { line } = await daemonFlavour(client);
      exitWith(await restore(client, id, ref, { rw: argv.rw, live: argv.live, line, console: currentConsole }));
    });
  },
};
export default command;
