/** `ctrx leases delete ID...`: Leases.Delete each (sync only for the last with --sync), printing each. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, wrap } from '../../internal/errdefs';
import { forEachKeepGoing } from '../../internal/util/keep-going';

type Args = GlobalArgs & { ids?: string[]; sync: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'delete [ids..]',
  aliases: ['del', 'remove', 'rm'],
  describe: 'Delete a lease',
  builder: (y) =>
    y
      .positional('ids', { type: 'string', array: true, describe: '<lease id> ...' })
      .option('sync', { type: 'boolean', default: false, describe: 'Synchronously remove leases and all unreferenced resources' }),
  handler: async (argv) => {
    const ids = argv.ids ?? [];
    if (!ids.length) throw new UsageError('must specify at least one lease id');
    await withClient(argv, (c) =>
      forEachKeepGoing(ids.map((id, i) => ({ id, last: i === ids.length - 1 })), async ({ id, last }) => {
        try {
          await c.unary('containerd.services.leases.v1.Leases', 'Delete', { id, sync: argv.sync && last });
        } catch (err) {
          throw wrap(err, `unable to delete lease ${id}`);
        }
        out(`${id}\n`);
      }),
    );
  },
};
export default command;
