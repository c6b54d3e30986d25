/** `ctrx images unmount TARGET`: umount(8) everything at target; with --rm also drop the mount's lease and snapshot. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, isNotFound } from '../../internal/errdefs';
import { DEFAULT_SNAPSHOTTER } from '../../internal/snapshotter';
import { unmountAll } from '../../internal/images/mount';
import { acceptRegistryFlags } from './registry-flags';

type Args = GlobalArgs & { target?: string; snapshotter: string; rm: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'unmount [target]',
  describe: 'Unmount the image from the target',
  builder: (y) =>
    acceptRegistryFlags(
      y
        .positional('target', { type: 'string' })
        .option('snapshotter', { type: 'string', default: process.env.CONTAINERD_SNAPSHOTTER ?? '', describe: 'Snapshotter name. Empty value stands for the default value.' })
        .option('label', { type: 'string', array: true, describe: 'Labels to attach to the image' })
        .option('rm', { type: 'boolean', default: false, describe: 'Remove the snapshot after a successful unmount' }),
    ),
  handler: async (argv) => {
    if (!argv.target) throw new UsageError('please provide a target path to unmount from');
    const target = argv.target;
    await withClient(argv, async (c) => {
      unmountAll(target);
      if (argv.rm) {
        const snapshotter = argv.snapshotter || DEFAULT_SNAPSHOTTER;
        try {
          await c.unary('containerd.services.leases.v1.Leases', 'Delete', { id: target });
        } catch (err) {
          if (!isNotFound(err)) throw new Error(`error deleting lease: ${(err as Error).message}`);
        }
        try {
          await c.unary('containerd.services.snapshots.v1.Snapshots', 'Remove', { snapshotter, key: target });
        } catch (err) {
          if (!isNotFound(err)) throw new Error(`error removing snapshot: ${(err as Error).message}`);
        }
      }
      out(`${target}\n`);
    });
  },
};
export default command;
