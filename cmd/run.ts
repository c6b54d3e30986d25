/** `ctrx run`: placeholder until it lands. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './context';

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'run',
  
  describe: 'Run a container (not implemented yet)',
  handler: async () => {
    throw new Error('run is not implemented yet');
  },
};
export default command;
