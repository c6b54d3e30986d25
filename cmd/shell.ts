/** `ctrx shell`: placeholder until it lands. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './context';

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'shell',
  
  describe: 'Run many ctrx commands over one connection (not implemented yet)',
  handler: async () => {
    throw new Error('shell is not implemented yet');
  },
};
export default command;
