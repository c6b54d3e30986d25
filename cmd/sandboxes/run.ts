/** `ctrx sandboxes run [CONFIG.json] ID` (create, c, r): record, create and start a sandbox, printing its ID. */
import * as fs from 'fs';
import type { CommandModule } from 'yargs';
import { GlobalArgs, labelArgs, out, withClient } from '../context';
import { UsageError, wrap } from '../../internal/errdefs';
import { runSandbox } from '../../internal/sandboxes/sandboxes';

type Args = GlobalArgs & { config?: string; id?: string; runtime: string; sandboxer: string; label?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'run [config] [id]',
  aliases: ['create', 'c', 'r'],
  describe: 'Run a new sandbox',
  builder: (y) =>
    y
      .positional('config', { type: 'string', describe: "pod-config.json: a CRI PodSandboxConfig for podsandbox, else the sandbox's OCI spec (ctr sends an empty spec)" })
      .positional('id', { type: 'string', describe: 'sandbox-id' })
      .option('runtime', { type: 'string', default: 'io.containerd.runc.v2', describe: 'Runtime name' })
      .option('sandboxer', { type: 'string', default: 'shim', describe: 'Sandbox controller to use (containerd 2.x: shim, or podsandbox = CRI pause container from the daemon\'s sandbox image)' })
      .option('label', { type: 'string', array: true, describe: 'Labels for the sandbox record (k=v)' }),
  handler: async (argv) => {
    if (!argv.config || !argv.id) throw new UsageError('a pod config file and a sandbox id must be provided');
    let spec: unknown;
    try {
      spec = JSON.parse(fs.readFileSync(argv.config, 'utf8'));
    } catch (e) {
      throw new UsageError(`read sandbox config ${argv.config}: ${(e as Error).message}`);
    }
    const id = argv.id;
    await withClient(argv, async (c) => {
      await runSandbox(c, { id, runtime: argv.runtime, sandboxer: argv.sandboxer, spec, labels: labelArgs(argv.label) }).catch((e) => {
        throw wrap(e, `run sandbox ${JSON.stringify(id)}`);
      });
      out(`${id}\n`);
    });
  },
};
export default command;
