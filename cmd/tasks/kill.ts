/** `ctrx tasks kill`: signal a task (-s, else the image's stop signal label, else SIGTERM), --all, --exec-id. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';

type Args = GlobalArgs & { id?: string; signal: string; 'exec-id'?: string; all: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'kill [id]',
  describe: 'Signal a container (default: SIGTERM)',
  builder: (y) =>
    y
      .option('signal', { alias: 's', type: 'string', default: '', describe: 'Signal to send to the container' })
      .option('exec-id', { type: 'string', describe: 'Process ID to kill' })
      // -a is spelled out as --all before parsing (haltAtFirstPositional): -a is also the global --address.
      .option('all', { type: 'boolean', default: false, describe: 'Send signal to all processes inside the container (-a)' }) as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    const execId = argv['exec-id'] ?? '';
    if (argv.all && execId) throw new UsageError('specify an exec-id or all; not both');
    await withClient(argv, async (client) => {
      const { killTask } = await import('../../internal/containers/kill');
      await killTask(client, id, argv.signal, execId, argv.all);
    });
  },
};
export default command;
