/** `ctrx containers info`: the record as ctr prints it (the spec decoded), or only the spec with --spec. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; spec: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'info [id]',
  describe: 'Get info about a container',
  builder: (y) => y.option('spec', { type: 'boolean', default: false, describe: 'Only display the spec' }) as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { getContainer } = await import('../../internal/containers/task');
      const { containerInfoJSON, specJSON } = await import('../../internal/containers/info');
      const { goJSON } = await import('../../internal/containers/go-json');
      const c = await getContainer(client, id);
      // ctr's json.MarshalIndent: 4 spaces, HTML characters escaped.
      out(goJSON(argv.spec ? specJSON(c) : await containerInfoJSON(client, c), 4) + '\n');
    });
  },
};
export default command;
