/** `ctrx namespaces label NAME [k=v ...]`: Namespaces.Update of the named labels (empty value removes). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';

type Args = GlobalArgs & { name?: string; labels?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'label [name] [labels..]',
  describe: 'Set and clear labels for a namespace',
  builder: (y) => y.positional('name', { type: 'string' }).positional('labels', { type: 'string', array: true }),
  handler: async (argv) => {
    if (!argv.name) throw new UsageError('namespace name must be provided');
    const labels = labelArgs(argv.labels);
    const paths = Object.keys(labels).map((k) => `labels.${k}`);
    if (!paths.length) return;
    await withClient(argv, (c) =>
      c.unary('containerd.services.namespaces.v1.Namespaces', 'Update', {
        namespace: { name: argv.name, labels },
        update_mask: { paths },
      }),
    );
  },
};
export default command;
