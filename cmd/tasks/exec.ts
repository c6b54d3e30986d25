/** `ctrx tasks exec`: run another process in a running task (--exec-id required), with its exit code. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from '../context';
import { UsageError } from '../../internal/errdefs';
import { commandArgs } from '../../internal/containers/positionals';

export type ExecArgs = GlobalArgs & {
  _: (string | number)[];
  args?: string[];
  cwd?: string;
  tty: boolean;
  detach: boolean;
  'exec-id'?: string;
  'fifo-dir'?: string;
  'log-uri'?: string;
  user?: string;
  env?: string[];
};

const command: CommandModule<GlobalArgs, ExecArgs> = {
  command: 'exec [args..]',
  describe: 'Execute additional processes in an existing container',
  builder: (y) =>
    y
      .usage('ctrx tasks exec [flags] CONTAINER CMD [ARG...]')
      .option('cwd', { type: 'string', describe: 'Working directory of the new process' })
      .option('tty', { alias: 't', type: 'boolean', default: false, describe: 'Allocate a TTY for the container' })
      .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Detach from the task after it has started execution' })
      .option('exec-id', { type: 'string', describe: 'Exec specific id for the process' })
      .option('fifo-dir', { type: 'string', describe: 'Directory used for storing IO FIFOs' })
      .option('log-uri', { type: 'string', describe: 'Log uri for custom shim logging' })
      .option('user', { type: 'string', describe: 'User id or name' })
      .option('env', { type: 'string', array: true, describe: 'Additional environment variables for the process (e.g. FOO=bar; ctrx only)' }) as never,
  handler: async (argv) => {
    const [id, ...args] = commandArgs(argv);
    if (!id) throw new UsageError('container id must be provided');
    if (!args.length) throw new UsageError('command must be provided');
    if (!argv['exec-id']) throw new UsageError('exec-id must be provided');
    const { currentConsole } = await import('../../internal/stdio/tty');
    const con = argv.tty && !argv.detach ? currentConsole() : undefined;
    await withClient(argv, async (client) => {
      const { execProcess } = await import('../../internal/containers/exec');
      await execProcess(client, { id, args, execId: argv['exec-id']!, cwd: argv.cwd, user: argv.user, env: argv.env, tty: argv.tty, detach: argv.detach, fifoDir: argv['fifo-dir'], logURI: argv['log-uri'], console: con });
    });
  },
};
export default command;
