/** `ctrx containers delete` (del, remove, rm): several at once, keeping going, like ctr. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';
import { forEachKeepGoing } from '../../internal/util/keep-going';

type Args = GlobalArgs & { ids?: string[]; 'keep-snapshot': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'delete [ids..]',
  aliases: ['del', 'remove', 'rm'],
  describe: 'Delete one or more existing containers',
  builder: (y) => y.option('keep-snapshot', { type: 'boolean', default: false, describe: 'Do not clean up snapshot with container' }) as never,
  handler: async (argv) => {
    const ids = requireArgs(argv.ids, 'container id');
    await withClient(argv, async (client) => {
      const { deleteContainer } = await import('../../internal/containers/delete');
      await forEachKeepGoing(ids, (id) => deleteContainer(client, id, argv['keep-snapshot']));
    });
  },
};
export default command;
