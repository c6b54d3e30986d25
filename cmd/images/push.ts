/** `ctrx images push [flags] <remote> [<local>]`: push an image, client-side or through the Transfer service. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';
import { RegistryArgs, remoteOptions, setFlags, useTransfer, withPathFlags, withRegistryFlags } from '../../internal/registry-flags';

type Args = GlobalArgs &
  RegistryArgs & {
    remote?: string;
    'local-ref'?: string;
    local: boolean;
    manifest?: string;
    'manifest-type': string;
    platform?: string[];
    'max-concurrent-uploaded-layers'?: number;
    'allow-non-distributable-blobs': boolean;
    transfer: boolean;
    quiet: boolean;
  };

/** Flags the Transfer path cannot honour (ctr 2.x: `"--x" requires "--local" flag`). */
const LOCAL_ONLY = ['manifest', 'max-concurrent-uploaded-layers', 'allow-non-distributable-blobs', 'skip-verify', 'tlscacert', 'tlscert', 'tlskey', 'http-trace'];

const command: CommandModule<GlobalArgs, Args> = {
  // The second positional is named local-ref: `--local` is the path flag.
  command: 'push [remote] [local-ref]',
  describe: 'Push an image to a remote',
  builder: (y) =>
    withPathFlags(withRegistryFlags(y))
      .positional('remote', { type: 'string', describe: 'Remote reference to push to' })
      .positional('local-ref', { type: 'string', describe: 'Local image name (default: the remote reference)' })
      .option('manifest', { type: 'string', describe: 'Digest of manifest' })
      .option('manifest-type', { type: 'string', default: 'application/vnd.oci.image.manifest.v1+json', describe: 'Media type of manifest digest' })
      .option('platform', { type: 'string', array: true, describe: 'Push content from a specific platform (repeatable)' })
      .option('max-concurrent-uploaded-layers', { type: 'number', describe: 'Set the max concurrent uploaded layers for each push (default 3)' })
      .option('allow-non-distributable-blobs', { type: 'boolean', default: false, describe: 'Allow pushing blobs that are marked as non-distributable' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print no progress' }),
  handler: async (argv) => {
    const [remote] = requireArgs(argv.remote, 'please provide a remote image reference to push');
    const { pushCommand } = await import('../../internal/remotes/commands');
    await withClient(argv, async (client) => {
      const transfer = await useTransfer(client, argv, setFlags(argv, LOCAL_ONLY));
      await pushCommand(client, remote, argv['local-ref'], {
        transfer,
        remote: remoteOptions(argv),
        platforms: argv.platform ?? [],
        manifest: argv.manifest,
        manifestType: argv['manifest-type'],
        maxConcurrentUploads: argv['max-concurrent-uploaded-layers'] ?? 3,
        allowNonDistributable: argv['allow-non-distributable-blobs'],
        quiet: argv.quiet || argv.debug,
      });
    });
  },
};
export default command;
