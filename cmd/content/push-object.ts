/** `ctrx content push-object [flags] <remote> <object> <type>`: push one stored blob to a registry as the given media type. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, requireArgs, withClient } from '../context';
import { RegistryArgs, remoteOptions, withRegistryFlags } from '../../internal/registry-flags';

type Args = GlobalArgs & RegistryArgs & { remote?: string; object?: string; type?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'push-object [remote] [object] [type]',
  describe: 'Push an object to a remote',
  builder: (y) =>
    withRegistryFlags(y)
      .positional('remote', { type: 'string', describe: 'Reference to push to' })
      .positional('object', { type: 'string', describe: 'Digest of the blob in the content store' })
      .positional('type', { type: 'string', describe: 'Media type to push it as' }),
  handler: async (argv) => {
    const [remote, object, type] = requireArgs([argv.remote, argv.object, argv.type].filter((v) => v !== undefined), 'please provide <remote> <object> <type>', 3);
    const { mustParseReference, openRepository } = await import('../../internal/remotes/session');
    const { pushObject } = await import('../../internal/remotes/objects');
    const { explain } = await import('../../internal/remotes/commands');
    const ref = mustParseReference(remote);
    await withClient(argv, async (client) => {
      try {
        const desc = await pushObject(client, await openRepository(ref, remoteOptions(argv)), object, type);
        out(`Pushed ${desc.digest} ${desc.mediaType}\n`);
      } catch (err) {
        throw explain(ref, err);
      }
    });
  },
};
export default command;
