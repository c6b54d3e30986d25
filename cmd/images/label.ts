/** `ctrx images label NAME [k=v ...]`: Images.Update of the named labels (or all with -r); prints the labels. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { getImage } from '../../internal/images/image';

type Args = GlobalArgs & { name?: string; labels?: string[]; 'replace-all': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'label [name] [labels..]',
  describe: 'Set and clear labels for an image',
  builder: (y) =>
    y
      .positional('name', { type: 'string' })
      .positional('labels', { type: 'string', array: true })
      .option('replace-all', { alias: 'r', type: 'boolean', default: false, describe: 'Replace all labels' }),
  handler: async (argv) => {
    if (!argv.name) throw new UsageError('please specify an image');
    const labels = labelArgs(argv.labels);
    const keys = Object.keys(labels);
    await withClient(argv, async (c) => {
      let result;
      if (!keys.length && !argv['replace-all']) {
        result = await getImage(c, argv.name!);
      } else {
        const paths = argv['replace-all'] ? ['labels'] : keys.map((k) => `labels.${k}`);
        // An empty value clears the label, as in ctr.
        for (const k of keys) if (labels[k] === '') delete labels[k];
        // An empty target must be sent: containerd 2.1 dereferences it even when only labels change (it panics on a missing one).
        const image = { name: argv.name, labels, target: { media_type: '', digest: '', size: '0' } };
        result = (await c.unary('containerd.services.images.v1.Images', 'Update', { image, update_mask: { paths } })).image!;
      }
      out(`${Object.keys(result.labels).sort().map((k) => `${k}=${result.labels[k]}`).join(',')}\n`);
    });
  },
};
export default command;
