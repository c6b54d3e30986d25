/** `ctrx install`: placeholder until it lands. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './context';

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'install',
  
  describe: 'Install a new package (not implemented yet)',
  handler: async () => {
    throw new Error('install is not implemented yet');
  },
};
export default command;
