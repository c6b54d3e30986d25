/** `ctrx images inspect IMAGE`: the image's tree of descriptors (ctr 2.x's view), with --content the labels and JSON of each blob. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, printJSON, withClient, withFormat } from '../context';
import { UsageError } from '../../internal/errdefs';
import { toJSONValue } from '../../internal/api/json';
import { getImage } from '../../internal/images/image';
import { inspectTree } from '../../internal/images/inspect';

type Args = GlobalArgs & { image?: string; content: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'inspect [image]',
  aliases: ['i'],
  describe: 'Inspect an image',
  builder: (y) =>
    withFormat(
      y
        .positional('image', { type: 'string' })
        .option('content', { type: 'boolean', default: false, describe: 'Show JSON content' }),
    ),
  handler: async (argv) => {
    if (!argv.image) throw new UsageError('please provide an image');
    await withClient(argv, async (c) => {
      const img = await getImage(c, argv.image!);
      if (argv.format === 'json') {
        printJSON(toJSONValue('containerd.services.images.v1.Image', img));
        return;
      }
      await inspectTree(c, img, argv.content, out);
    });
  },
};
export default command;
