/** `ctrx completion`: placeholder until it lands. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './context';

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'completion',
  
  describe: 'Print a shell completion script (not implemented yet)',
  handler: async () => {
    throw new Error('completion is not implemented yet');
  },
};
export default command;
