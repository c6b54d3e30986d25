/** `ctrx containers restore`: a container and its task from a checkpoint image. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';
import { RegistryArgs, remoteOptions, withRegistryFlags } from '../../internal/registry-flags';

type Args = GlobalArgs & RegistryArgs & { id?: string; ref?: string; rw: boolean; live: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'restore [id] [ref]',
  describe: 'Restore a container from checkpoint',
  // A checkpoint missing from the image store is fetched from its registry as
  // ctr does (plain HTTP for localhost); the registry flags are ctrx's own.
  builder: (y) =>
    withRegistryFlags(y)
      .option('rw', { type: 'boolean', default: false, describe: 'Restore the rw layer from the checkpoint' })
      .option('live', { type: 'boolean', default: false, describe: 'Restore the runtime and memory data from the checkpoint' })
      .usage('ctrx containers restore [flags] CONTAINER REF') as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    const [ref] = requireArgs(argv.ref, 'ref');
    await withClient(argv, async (client) => {
      const { restore } = await import('../../internal/containers/restore');
      const { daemonFlavour } = await import('../../internal/containers/new-container');
      const { exitWith } = await import('../../internal/containers/task');
      const { currentConsole } = await import('../../internal/stdio/tty');
      const { line } = await daemonFlavour(client);
      const fetch = async () => {
        const { pullCommand } = await import('../../internal/remotes/commands');
        const { mustParseReference } = await import('../../internal/remotes/session');
        const { interruptible } = await import('../../internal/util/interrupt');
        await interruptible(client, `fetch ${ref}`, () => pullCommand(client, ref, {
          transfer: false,
          remote: remoteOptions(argv),
          platforms: [],
          allPlatforms: false,
          allMetadata: false,
          labels: {},
          snapshotter: '',
          maxConcurrentDownloads: 3,
          quiet: true,
          unpack: false,
        }, () => undefined), { keepClient: true });
        return mustParseReference(ref).name;
      };
      exitWith(await restore(client, id, ref, { rw: argv.rw, live: argv.live, line, console: currentConsole, fetch }));
    });
  },
};
export default command;
