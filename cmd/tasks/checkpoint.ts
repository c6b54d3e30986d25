/** `ctrx tasks checkpoint`: criu's dump of a task (with its image and rw layer) as a checkpoint image. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; exit: boolean; 'image-path'?: string; 'work-path'?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'checkpoint [id]',
  describe: 'Checkpoint a container',
  builder: (y) =>
    y
      .option('exit', { type: 'boolean', default: false, describe: 'Stop the container after the checkpoint' })
      .option('image-path', { type: 'string', describe: 'Path to criu image files' })
      .option('work-path', { type: 'string', describe: 'Path to criu work files and logs' })
      .usage('ctrx tasks checkpoint [flags] CONTAINER') as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { checkpointTaskImage } = await import('../../internal/containers/checkpoint');
      const name = await checkpointTaskImage(client, id, { exit: argv.exit, imagePath: argv['image-path'], workPath: argv['work-path'] });
      if (!argv['image-path']) out(`${name}\n`);
    });
  },
};
export default command;
