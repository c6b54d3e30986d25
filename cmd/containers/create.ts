/** `ctrx containers create`: ctr's NewContainer without a task. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { withContainerFlags, type ContainerFlagArgs } from '../../internal/container-flags';
import { commandArgs, containerPositionals } from '../../internal/containers/positionals';

type Args = GlobalArgs & ContainerFlagArgs & { _: (string | number)[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'create [args..]',
  describe: 'Create container',
  builder: (y) => withContainerFlags(y).usage('ctrx containers create [flags] Image|RootFS CONTAINER [COMMAND] [ARG...]') as never,
  handler: async (argv) => {
    const pos = containerPositionals(commandArgs(argv), !!argv.config);
    await withClient(argv, async (client) => {
      const { newContainer } = await import('../../internal/containers/new-container');
      await newContainer(client, { ...pos, flags: argv });
    });
  },
};
export default command;
