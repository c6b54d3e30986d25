/** `ctrx sandboxes info ID` (i): Store.Get, the sandbox record as JSON. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, printJSON, requireArgs, withClient } from '../context';
import { toJSONValue } from '../../internal/api/json';
import { SANDBOX_STORE, sandboxCall } from '../../internal/sandboxes/sandboxes';

type Args = GlobalArgs & { id?: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'info [id]',
  aliases: ['i'],
  describe: 'Get info about a sandbox',
  builder: (y) => y.positional('id', { type: 'string', describe: 'sandbox id' }),
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'sandbox id');
    await withClient(argv, async (c) => {
      const { sandbox } = await sandboxCall(c, () => c.unary(SANDBOX_STORE, 'Get', { sandbox_id: id }));
      printJSON(toJSONValue('containerd.types.Sandbox', sandbox));
    });
  },
};
export default command;
