/** `ctrx images list [filter...]`: Images.List as ctr's REF TYPE DIGEST SIZE PLATFORMS LABELS table. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, formatLabels, out, printJSON, withClient, withFormat } from '../context';
import { toJSONValue } from '../../internal/api/json';
import { table } from '../../internal/output/tabwriter';
import { bytes } from '../../internal/progress/units';
import { imagePlatforms, imageSize, mapLimit } from '../../internal/images/image';

type Args = GlobalArgs & { filters?: string[]; quiet: boolean; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'list [filters..]',
  aliases: ['ls'],
  describe: 'List images known to containerd',
  builder: (y) =>
    withFormat(
      y
        .positional('filters', { type: 'string', array: true })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the image refs' }),
    ),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      let images;
      try {
        images = (await c.unary('containerd.services.images.v1.Images', 'List', { filters: argv.filters ?? [] })).images;
      } catch (err) {
        throw new Error(`failed to list images: ${(err as Error).message}`);
      }
      if (argv.format === 'json') {
        printJSON(images.map((i) => toJSONValue('containerd.services.images.v1.Image', i)));
        return;
      }
      if (argv.quiet) {
        out(images.map((i) => `${i.name}\n`).join(''));
        return;
      }
      // ctr reads each image's blobs one image at a time; a few at once is the same answer, sooner.
      const rows = await mapLimit(images, 16, async (img) => {
        const size = await imageSize(c, img).catch(() => 0);
        const plats = await imagePlatforms(c, img).catch((err) => {
          process.stderr.write(`ctrx: failed resolving platform for image ${img.name}: ${(err as Error).message}\n`);
          return [] as string[];
        });
        return [img.name, img.target?.media_type ?? '', img.target?.digest ?? '', bytes(size), plats.length ? plats.join(',') : '-', formatLabels(img.labels)];
      });
      out(table(['REF', 'TYPE', 'DIGEST', 'SIZE', 'PLATFORMS', 'LABELS'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }, { headerTerminated: true, rowsTerminated: true }));
    });
  },
};
export default command;
