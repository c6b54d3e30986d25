/** `ctrx info`: the daemon's own description of itself (Introspection.Server). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, printJSON, withClient } from './context';
import { toJSONValue } from '../internal/api/json';
import { omitEmpty } from '../internal/output/json';

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'info',
  describe: 'Print the server info',
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const res = await c.unary('containerd.services.introspection.v1.Introspection', 'Server', {});
      const server = toJSONValue('containerd.services.introspection.v1.ServerResponse', res) as Record<string, unknown>;
      // Go's encoding/json writes uint64 as a number; pids fit in one.
      for (const k of ['pid', 'pidns']) server[k] = Number(server[k]);
      // ctr prints Go's JSON of the response, which leaves out empty fields.
      printJSON({ server: omitEmpty(server) });
    });
  },
};
export default command;
