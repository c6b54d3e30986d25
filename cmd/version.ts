/** `ctrx version`: the client's and the daemon's versions, as ctr prints them. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient, withFormat, printJSON } from './context';
import { REVISION, VERSION } from './build-info';

type Args = GlobalArgs & { format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'version',
  describe: 'Print the client and server versions',
  builder: (y) => withFormat(y),
  handler: async (argv) => {
    const client = { version: VERSION, revision: REVISION, node_version: process.version };
    if (argv.format !== 'json') {
      // Like ctr, the client half is printed before dialing.
      out(`Client:\n  Version:  ${client.version}\n  Revision: ${client.revision}\n  Node version: ${client.node_version}\n\n`);
    }
    await withClient(argv, async (c) => {
      const [v, s] = await Promise.all([
        c.unary('containerd.services.version.v1.Version', 'Version', {}),
        c.unary('containerd.services.introspection.v1.Introspection', 'Server', {}),
      ]);
      if (argv.format === 'json') {
        printJSON({ client, server: { version: v.version, revision: v.revision, uuid: s.uuid } });
      } else {
        out(`Server:\n  Version:  ${v.version}\n  Revision: ${v.revision}\n  UUID: ${s.uuid}\n`);
      }
    });
  },
};
export default command;
