/** `ctrx containers checkpoint`: a checkpoint image of a container (its rw layer, image and task with the flags). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; ref?: string; rw: boolean; image: boolean; task: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'checkpoint [id] [ref]',
  describe: 'Checkpoint a container',
  builder: (y) =>
    y
      .option('rw', { type: 'boolean', default: false, describe: 'Include the rw layer in the checkpoint' })
      .option('image', { type: 'boolean', default: false, describe: 'Include the image in the checkpoint' })
      .option('task', { type: 'boolean', default: false, describe: 'Checkpoint container task' })
      .usage('ctrx containers checkpoint [flags] CONTAINER REF') as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    const [ref] = requireArgs(argv.ref, 'ref');
    await withClient(argv, async (client) => {
      const { checkpointContainer } = await import('../../internal/containers/checkpoint');
      const { daemonFlavour } = await import('../../internal/containers/new-container');
      const { line } = await daemonFlavour(client);
      await checkpointContainer(client, id, ref, { rw: argv.rw, image: argv.image, task: argv.task, line });
    });
  },
};
export default command;
