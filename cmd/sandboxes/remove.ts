/** `ctrx sandboxes remove ID...` (rm): stop, shut down and forget each sandbox; keeps going, first error wins. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError, wrap } from '../../internal/errdefs';
import { forEachKeepGoing } from '../../internal/util/keep-going';
import { removeSandbox } from '../../internal/sandboxes/sandboxes';

type Args = GlobalArgs & { ids?: string[]; force: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'remove [ids..]',
  aliases: ['rm'],
  describe: 'Remove sandboxes',
  builder: (y) =>
    y
      .positional('ids', { type: 'string', array: true })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Ignore shutdown errors when removing sandbox' }),
  handler: async (argv) => {
    const ids = argv.ids ?? [];
    if (!ids.length) throw new UsageError('at least one sandbox id must be provided');
    await withClient(argv, (c) =>
      forEachKeepGoing(ids, async (id) => {
        await removeSandbox(c, id, argv.force).catch((e) => {
          throw wrap(e, `remove sandbox ${JSON.stringify(id)}`);
        });
      }),
    );
  },
};
export default command;
