/** `ctrx content fetch-object [flags] <remote> [<object>] [<hint>...]`: one object from a registry to stdout (no containerd calls). */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context';
import { requireArgs } from '../context';
import { RegistryArgs, remoteOptions, withRegistryFlags } from '../../internal/registry-flags';

type Args = GlobalArgs & RegistryArgs & { remote?: string; object?: string; hints?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'fetch-object [remote] [object] [hints..]',
  describe: 'Retrieve objects from a remote',
  builder: (y) =>
    withRegistryFlags(y)
      .positional('remote', { type: 'string', describe: 'Reference; the object it resolves to is fetched' })
      .positional('object', { type: 'string', describe: 'A digest in the repository to fetch instead' })
      .positional('hints', { type: 'string', array: true, describe: 'Accepted for ctr compatibility; unused' }),
  handler: async (argv) => {
    const [remote] = requireArgs(argv.remote, 'please provide a remote reference');
    const { mustParseReference, openRepository } = await import('../../internal/remotes/session');
    const { fetchObject } = await import('../../internal/remotes/objects');
    const { explain } = await import('../../internal/remotes/commands');
    const ref = mustParseReference(remote);
    const digest = argv.object && /^[a-z0-9]+:[a-f0-9]{32,}$/.test(argv.object) ? argv.object : undefined;
    try {
      await fetchObject(await openRepository(ref, remoteOptions(argv)), digest, process.stdout);
    } catch (err) {
      throw explain(digest ? `${ref.locator}@${digest}` : ref, err);
    }
  },
};
export default command;
