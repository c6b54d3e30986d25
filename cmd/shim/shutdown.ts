/** `ctrx shim shutdown`: Task.Shutdown, which ends the shim if it runs no container. */
import type { CommandModule } from 'yargs';
import { type ShimArgs, apiVersionFlag, apiVersionOf, withShim } from './args';

type Args = ShimArgs & { 'api-version'?: number; now: boolean };

const command: CommandModule<ShimArgs, Args> = {
  command: 'shutdown',
  describe: 'Shutdown shim if there is no active container',
  builder: (y) => y.option('api-version', apiVersionFlag).option('now', { type: 'boolean', default: false, describe: 'Shut down even with active containers' }),
  handler: async (argv) => {
    const version = apiVersionOf(argv['api-version']);
    await withShim(
      argv,
      async (t) => {
        await t.call('Shutdown', { id: argv.id ?? '', now: argv.now }, { request: 'ShutdownRequest', response: 'google.protobuf.Empty' }).catch((err) => {
          // The shim exits as it answers: a closed connection is the success.
          if (!/connection closed/.test((err as Error).message)) throw err;
        });
      },
      version,
    );
  },
};
export default command;
