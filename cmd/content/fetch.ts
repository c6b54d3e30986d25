/** `ctrx content fetch [flags] <ref>`: fetch all content of an image into the content store (no unpack), client-side as ctr does. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, requireArgs, withClient } from '../context';
import { RegistryArgs, remoteOptions, withRegistryFlags } from '../../internal/registry-flags';

type Args = GlobalArgs &
  RegistryArgs & {
    ref?: string;
    label?: string[];
    platform?: string[];
    'all-platforms': boolean;
    'all-metadata': boolean;
    'skip-metadata': boolean;
    'metadata-only': boolean;
    'max-concurrent-downloads'?: number;
    quiet: boolean;
  };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'fetch [ref]',
  describe: 'Fetch all content for an image into containerd',
  builder: (y) =>
    withRegistryFlags(y)
      .positional('ref', { type: 'string', describe: 'Image reference' })
      .option('label', { type: 'string', array: true, describe: 'Labels to attach to the image' })
      .option('platform', { type: 'string', array: true, describe: 'Pull content from a specific platform (repeatable)' })
      .option('all-platforms', { type: 'boolean', default: false, describe: 'Pull content from all platforms' })
      .option('all-metadata', { type: 'boolean', default: false, describe: 'Pull metadata for all platforms' })
      .option('skip-metadata', { type: 'boolean', default: false, describe: 'Skips metadata for unused platforms' })
      .option('metadata-only', { type: 'boolean', default: false, describe: 'Pull all metadata including manifests and configs' })
      .option('max-concurrent-downloads', { type: 'number', describe: 'Set the max concurrent downloads (default 3)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print no progress' }),
  handler: async (argv) => {
    const [ref] = requireArgs(argv.ref, 'please provide an image reference to fetch');
    const { pullCommand } = await import('../../internal/remotes/commands');
    const { interruptible } = await import('../../internal/util/interrupt');
    await withClient(argv, (client) => interruptible(client, `fetch ${ref}`, () =>
      pullCommand(client, ref, {
        transfer: false,
        remote: remoteOptions(argv),
        platforms: argv.platform ?? [],
        allPlatforms: argv['all-platforms'],
        // --metadata-only implies every platform's metadata, as in ctr.
        allMetadata: (argv['all-metadata'] || argv['metadata-only']) && !argv['skip-metadata'],
        metadataOnly: argv['metadata-only'],
        labels: labelArgs(argv.label),
        snapshotter: '',
        maxConcurrentDownloads: argv['max-concurrent-downloads'] ?? 3,
        quiet: argv.quiet || argv.debug,
        unpack: false,
      }, out)),
    );
  },
};
export default command;
