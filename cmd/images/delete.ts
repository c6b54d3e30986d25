/** `ctrx images delete REF...`: Images.Delete each (sync on the last with --sync); a missing image is a warning. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, isNotFound, wrap } from '../../internal/errdefs';
import { forEachKeepGoing } from '../../internal/util/keep-going';

type Args = GlobalArgs & { refs?: string[]; sync: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'delete [refs..]',
  aliases: ['del', 'remove', 'rm'],
  describe: 'Remove one or more images by reference',
  builder: (y) =>
    y
      .positional('refs', { type: 'string', array: true })
      .option('sync', { type: 'boolean', default: false, describe: 'Synchronously remove image and all associated resources' }),
  handler: async (argv) => {
    const refs = argv.refs ?? [];
    if (!refs.length) throw new UsageError('must specify at least one image reference');
    await withClient(argv, (c) =>
      forEachKeepGoing(refs.map((name, i) => ({ name, sync: argv.sync && i === refs.length - 1 })), async ({ name, sync }) => {
        try {
          await c.unary('containerd.services.images.v1.Images', 'Delete', { name, sync });
        } catch (err) {
          if (isNotFound(err)) {
            process.stderr.write(`warning: ${name}: image not found\n`);
            return;
          }
          throw wrap(err, `unable to delete ${name}`);
        }
        out(`${name}\n`);
      }),
    );
  },
};
export default command;
