/** `ctrx events`: placeholder until it lands. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './context';

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'events',
  aliases: ['event'],
  describe: 'Display containerd events (not implemented yet)',
  handler: async () => {
    throw new Error('events is not implemented yet');
  },
};
export default command;
