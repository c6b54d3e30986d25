/** `ctrx content fetch-blob [flags] <remote> <digest>...`: blobs from a registry to stdout (no containerd calls). */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context';
import { requireArgs } from '../context';
import { RegistryArgs, remoteOptions, withRegistryFlags } from '../../internal/registry-flags';
import { UsageError } from '../../internal/errdefs';

type Args = GlobalArgs & RegistryArgs & { remote?: string; digests?: string[]; 'media-type'?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'fetch-blob [remote] [digests..]',
  describe: 'Retrieve blobs from a remote',
  builder: (y) =>
    withRegistryFlags(y)
      .positional('remote', { type: 'string', describe: 'Repository reference' })
      .positional('digests', { type: 'string', array: true, describe: 'Digests of the blobs' })
      .option('media-type', { type: 'string', describe: 'Fetch blobs with the given media type (sets Accept)' }),
  handler: async (argv) => {
    const [remote] = requireArgs(argv.remote, 'please provide a remote reference');
    const digests = (argv.digests ?? []).map(String);
    if (!digests.length) throw new UsageError('must specify digests');
    const { mustParseReference, openRepository } = await import('../../internal/remotes/session');
    const { fetchBlobs } = await import('../../internal/remotes/objects');
    const { explain } = await import('../../internal/remotes/commands');
    const ref = mustParseReference(remote);
    try {
      await fetchBlobs(await openRepository(ref, remoteOptions(argv)), digests, argv['media-type'], process.stdout);
    } catch (err) {
      throw explain(ref.locator, err);
    }
  },
};
export default command;
