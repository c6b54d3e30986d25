/** `ctrx images usage REF`: disk usage of the image's snapshot chain, from the top chain ID down to the base. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, isNotFound } from '../../internal/errdefs';
import { table } from '../../internal/output/tabwriter';
import { bytes } from '../../internal/progress/units';
import { getImage, resolveManifest } from '../../internal/images/image';
import { chainID } from '../../internal/unpack/unpack';
import { DEFAULT_SNAPSHOTTER } from '../../internal/snapshotter';

type Args = GlobalArgs & { ref?: string; snapshotter: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'usage [ref]',
  describe: 'Display usage of snapshots for a given image ref',
  builder: (y) =>
    y
      .positional('ref', { type: 'string' })
      // ctr uses the built-in default here, not the namespace label.
      .option('snapshotter', { type: 'string', default: process.env.CONTAINERD_SNAPSHOTTER ?? '', describe: 'Snapshotter name. Empty value stands for the default value.' }),
  handler: async (argv) => {
    if (!argv.ref) throw new UsageError('please provide an image reference');
    const snapshotter = argv.snapshotter || DEFAULT_SNAPSHOTTER;
    await withClient(argv, async (c) => {
      let img;
      try {
        img = await getImage(c, argv.ref!);
      } catch (err) {
        throw new Error(`failed to ensure if image ${argv.ref} exists: ${(err as Error).message}`);
      }
      const r = await resolveManifest(c, img);
      const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
      const rows: string[][] = [];
      let next = chainID(r.config.rootfs?.diff_ids ?? []);
      try {
        await c.unary(SNAP, 'Stat', { snapshotter, key: next });
      } catch (err) {
        if (isNotFound(err)) throw new Error(`image ${argv.ref} isn't unpacked in snapshotter ${snapshotter}`);
        throw err;
      }
      while (next) {
        const u = await c.unary(SNAP, 'Usage', { snapshotter, key: next });
        const st = await c.unary(SNAP, 'Stat', { snapshotter, key: next });
        rows.push([next, bytes(Number(u.size)), String(u.inodes)]);
        next = st.info?.parent ?? '';
      }
      out(table(['KEY', 'SIZE', 'INODES'], rows, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' }));
    });
  },
};
export default command;
