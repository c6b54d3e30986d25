/** `ctrx content delete DIGEST...`: Content.Delete each, printing what was deleted; missing blobs are skipped. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { isNotFound, wrap } from '../../internal/errdefs';
import { parseDigest } from '../../internal/images/digest';
import { forEachKeepGoing } from '../../internal/util/keep-going';

type Args = GlobalArgs & { digests?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'delete [digests..]',
  aliases: ['del', 'remove', 'rm'],
  describe: 'Permanently delete one or more blobs',
  builder: (y) => y.positional('digests', { type: 'string', array: true }),
  handler: async (argv) => {
    await withClient(argv, (c) =>
      forEachKeepGoing(argv.digests ?? [], async (arg) => {
        const digest = parseDigest(arg);
        try {
          await c.unary('containerd.services.content.v1.Content', 'Delete', { digest });
        } catch (err) {
          if (isNotFound(err)) return;
          throw wrap(err, `could not delete ${digest}`);
        }
        out(`${digest}\n`);
      }),
    );
  },
};
export default command;
