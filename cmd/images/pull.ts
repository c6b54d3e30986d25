/** `ctrx images pull [flags] <ref>`: fetch and unpack an image, client-side or through the Transfer service. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, requireArgs, withClient } from '../context';
import { RegistryArgs, remoteOptions, setFlags, useTransfer, withPathFlags, withRegistryFlags } from '../../internal/registry-flags';
import { snapshotterFlag } from '../../internal/snapshotter';
import { interruptible } from '../../internal/util/interrupt';

type Args = GlobalArgs &
  RegistryArgs & {
    ref?: string;
    snapshotter: string;
    label?: string[];
    platform?: string[];
    'all-platforms': boolean;
    'all-metadata': boolean;
    'skip-metadata': boolean;
    'print-chainid': boolean;
    'max-concurrent-downloads'?: number;
    local: boolean;
    transfer: boolean;
    'sync-fs': boolean;
    quiet: boolean;
  };

/** Flags the Transfer path cannot honour (ctr 2.x: `"--x" requires "--local" flag`). */
const LOCAL_ONLY = ['max-concurrent-downloads', 'print-chainid', 'skip-verify', 'tlscacert', 'tlscert', 'tlskey', 'sync-fs'];

const command: CommandModule<GlobalArgs, Args> = {
  command: 'pull [ref]',
  describe: 'Pull an image from a remote',
  builder: (y) =>
    withPathFlags(withRegistryFlags(y))
      .positional('ref', { type: 'string', describe: 'Image reference (short names like busybox are normalised)' })
      .option('snapshotter', snapshotterFlag)
      .option('label', { type: 'string', array: true, describe: 'Labels to attach to the image' })
      .option('platform', { type: 'string', array: true, describe: 'Pull content from a specific platform (repeatable)' })
      .option('all-platforms', { type: 'boolean', default: false, describe: 'Pull content and metadata from all platforms' })
      .option('all-metadata', { type: 'boolean', default: false, hidden: true, describe: 'Pull metadata for all platforms' })
      .option('skip-metadata', { type: 'boolean', default: false, describe: 'Skips metadata for unused platforms (Image may be unable to be pushed without metadata)' })
      .option('print-chainid', { type: 'boolean', default: false, describe: 'Print the resulting image\'s chain ID' })
      .option('max-concurrent-downloads', { type: 'number', describe: 'Set the max concurrent downloads for each pull (default 3)' })
      .option('sync-fs', { type: 'boolean', default: false, describe: 'Synchronize the underlying filesystem containing files when unpack images, false by default' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print no progress' }),
  handler: async (argv) => {
    const [refArg] = requireArgs(argv.ref, 'please provide an image reference to pull');
    const { pullCommand } = await import('../../internal/remotes/commands');
    await withClient(argv, (client) => interruptible(client, `pull ${refArg}`, async () => {
      const transfer = await useTransfer(client, argv, setFlags(argv, LOCAL_ONLY));
      await pullCommand(client, refArg, {
        transfer,
        remote: remoteOptions(argv),
        platforms: argv.platform ?? [],
        allPlatforms: argv['all-platforms'],
        allMetadata: argv['all-metadata'] || (transfer && !argv['skip-metadata']),
        labels: labelArgs(argv.label),
        snapshotter: argv.snapshotter,
        syncFs: argv['sync-fs'],
        printChainID: argv['print-chainid'],
        maxConcurrentDownloads: argv['max-concurrent-downloads'] ?? 3,
        quiet: argv.quiet || argv.debug,
        unpack: true,
      }, out);
    }));
  },
};
export default command;
