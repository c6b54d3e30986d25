/**
 * `ctrx images mount REF TARGET`: unpack the image under a lease named after
 * the target (which keeps the snapshot), make a view (or, with --rw, an
 * active snapshot) keyed by the target, and mount it there with mount(8).
 * Prints the chain ID, then the target.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, isAlreadyExists } from '../../internal/errdefs';
import { defaultPlatform, formatPlatform, parsePlatform } from '../../internal/platforms';
import { DEFAULT_SNAPSHOTTER } from '../../internal/snapshotter';
import { GC_EXPIRE_LABEL, expiryLabel } from '../../internal/leases/temp-lease';
import { getImage } from '../../internal/images/image';
import { mountAll } from '../../internal/images/mount';
import { unpackImage } from '../../internal/unpack/unpack';
import { acceptRegistryFlags } from './registry-flags';

type Args = GlobalArgs & { ref?: string; target?: string; snapshotter: string; rw: boolean; platform: string; 'sync-fs': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'mount [ref] [target]',
  describe: 'Mount an image to a target path',
  builder: (y) =>
    acceptRegistryFlags(
      y
        .positional('ref', { type: 'string' })
        .positional('target', { type: 'string' })
        .option('snapshotter', { type: 'string', default: process.env.CONTAINERD_SNAPSHOTTER ?? '', describe: 'Snapshotter name. Empty value stands for the default value.' })
        .option('label', { type: 'string', array: true, describe: 'Labels to attach to the image' })
        .option('rw', { type: 'boolean', default: false, describe: 'Enable write support on the mount' })
        .option('platform', { type: 'string', default: formatPlatform(defaultPlatform()), describe: 'Mount the image for the specified platform' })
        .option('sync-fs', { type: 'boolean', default: false, describe: 'Synchronize the underlying filesystem containing files when unpack images' }),
    ),
  handler: async (argv) => {
    if (!argv.ref) throw new UsageError('please provide an image reference to mount');
    if (!argv.target) throw new UsageError('please provide a target path to mount to');
    const target = argv.target;
    const snapshotter = argv.snapshotter || DEFAULT_SNAPSHOTTER;
    let platform;
    try {
      platform = parsePlatform(argv.platform);
    } catch (e) {
      throw new Error(`unable to parse platform ${argv.platform}: ${(e as Error).message}`);
    }
    await withClient(argv, async (c) => {
      const LEASES = 'containerd.services.leases.v1.Leases' as const;
      let created = false;
      try {
        await c.unary(LEASES, 'Create', { id: target, labels: { [GC_EXPIRE_LABEL]: expiryLabel(24 * 3600_000), [`containerd.io/gc.ref.snapshot.${snapshotter}`]: target } });
        created = true;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      c.lease = target;
      try {
        const img = await getImage(c, argv.ref!);
        let chain: string;
        try {
          chain = (await unpackImage(c, img, { snapshotter, platform, syncFs: argv['sync-fs'] })).chainID;
        } catch (err) {
          throw new Error(`error unpacking image: ${(err as Error).message}`);
        }
        out(`${chain}\n`);
        const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
        let mounts;
        try {
          mounts = (await c.unary(SNAP, argv.rw ? 'Prepare' : 'View', { snapshotter, key: target, parent: chain })).mounts;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          mounts = (await c.unary(SNAP, 'Mounts', { snapshotter, key: target })).mounts;
        }
        try {
          mountAll(mounts, target);
        } catch (err) {
          await c.unary(SNAP, 'Remove', { snapshotter, key: target }).catch(() => undefined);
          throw err;
        }
        out(`${target}\n`);
      } catch (err) {
        c.lease = undefined;
        if (created) await c.unary(LEASES, 'Delete', { id: target }).catch(() => undefined);
        throw err;
      }
    });
  },
};
export default command;
