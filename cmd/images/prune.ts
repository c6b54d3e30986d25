/** `ctrx images prune --all`: delete every image no container uses (the last one synchronously). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';

type Args = GlobalArgs & { all: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'prune',
  describe: 'Remove unused images',
  builder: (y) => y.option('all', { type: 'boolean', default: false, describe: 'Remove all unused images, not just dangling ones (if any)' }),
  handler: async (argv) => {
    if (!argv.all) {
      process.stderr.write('warning: No images pruned. `image prune` requires --all to be specified.\n');
      return;
    }
    await withClient(argv, async (c) => {
      const images = (await c.unary('containerd.services.images.v1.Images', 'List', { filters: [] })).images;
      const used = new Set<string>();
      const containers = (await c.unary('containerd.services.containers.v1.Containers', 'List', { filters: [] })).containers;
      for (const ctr of containers) if (ctr.image) used.add(ctr.image);
      const unused = images.filter((i) => !used.has(i.name));
      for (let i = 0; i < unused.length; i++) {
        await c.unary('containerd.services.images.v1.Images', 'Delete', { name: unused[i].name, sync: i === unused.length - 1 });
        process.stderr.write(`deleted image: ${unused[i].name}\n`);
      }
    });
  },
};
export default command;
