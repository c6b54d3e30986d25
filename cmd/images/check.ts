/**
 * `ctrx images check [filter...]`: for each image, is every blob of the
 * host-platform manifest present, and is it unpacked? ctr's table and -q.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { tabwriteText } from '../../internal/output/tabwriter';
import { snapshotterFlag } from '../../internal/snapshotter';
import { checkImage } from '../../internal/images/check';
import { mapLimit } from '../../internal/images/image';

type Args = GlobalArgs & { filters?: string[]; quiet: boolean; snapshotter: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'check [filters..]',
  describe: 'Check existing images to ensure all content is available locally',
  builder: (y) =>
    y
      .positional('filters', { type: 'string', array: true })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the ready image refs (fully downloaded and unpacked)' })
      .option('snapshotter', snapshotterFlag),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      let images;
      try {
        images = (await c.unary('containerd.services.images.v1.Images', 'List', { filters: argv.filters ?? [] })).images;
      } catch (err) {
        throw new Error(`failed listing images: ${(err as Error).message}`);
      }
      if (!images.length) return;
      const results = await mapLimit(images, 8, (img) => checkImage(c, img, argv.snapshotter));
      let firstErr: Error | undefined;
      let text = argv.quiet ? '' : 'REF\tTYPE\tDIGEST\tSTATUS\tSIZE\tUNPACKED\t\n';
      results.forEach((r, i) => {
        const img = images[i];
        for (const e of r.errors) {
          process.stderr.write(`ctrx: ${e.message}\n`);
          firstErr ??= e;
        }
        if (argv.quiet) {
          if (r.complete && r.unpacked) text += `${img.name}\n`;
        } else {
          text += `${img.name}\t${img.target?.media_type}\t${img.target?.digest}\t${r.status}\t${r.size}\t${r.unpacked}\n`;
        }
      });
      out(argv.quiet ? text : tabwriteText(text, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }));
      if (firstErr) throw firstErr;
    });
  },
};
export default command;
