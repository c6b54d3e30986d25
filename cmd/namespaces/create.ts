/** `ctrx namespaces create NAME [k=v ...]`: Namespaces.Create. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';

type Args = GlobalArgs & { name?: string; labels?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'create [name] [labels..]',
  aliases: ['c'],
  describe: 'Create a new namespace',
  builder: (y) => y.positional('name', { type: 'string' }).positional('labels', { type: 'string', array: true }),
  handler: async (argv) => {
    if (!argv.name) throw new UsageError('namespace name must be provided');
    await withClient(argv, (c) =>
      c.unary('containerd.services.namespaces.v1.Namespaces', 'Create', {
        namespace: { name: argv.name, labels: labelArgs(argv.labels) },
      }),
    );
  },
};
export default command;
