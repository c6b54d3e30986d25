/** `ctrx tasks start`: a task for an existing container, attached like run (or -d). */
import type { CommandModule } from 'yargs';
import { GlobalArgs, requireArgs, withClient } from '../context';

type Args = GlobalArgs & { id?: string; 'no-pivot': boolean; 'null-io': boolean; 'log-uri'?: string; 'fifo-dir'?: string; 'pid-file'?: string; detach: boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'start [id]',
  describe: 'Start a container that has been created',
  builder: (y) =>
    y
      .option('no-pivot', { type: 'boolean', default: false, describe: 'Disable use of pivot-root (linux only)' })
      .option('null-io', { type: 'boolean', default: false, describe: 'Send all IO to /dev/null' })
      .option('log-uri', { type: 'string', describe: 'Log uri' })
      .option('fifo-dir', { type: 'string', describe: 'Directory used for storing IO FIFOs' })
      .option('pid-file', { type: 'string', describe: 'File path to write the task\'s pid' })
      .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Detach from the task after it has started execution' }) as never,
  handler: async (argv) => {
    const [id] = requireArgs(argv.id, 'container id');
    await withClient(argv, async (client) => {
      const { getContainer, containerSpec, exitWith } = await import('../../internal/containers/task');
      const { startTask } = await import('../../internal/containers/run');
      const { daemonFlavour } = await import('../../internal/containers/new-container');
      const container = await getContainer(client, id);
      const tty = !!containerSpec(container).process?.terminal;
      const { currentConsole } = await import('../../internal/stdio/tty');
      const con = tty && !argv.detach ? currentConsole() : undefined;
      const flavour = await daemonFlavour(client);
      const code = await startTask(client, container, {
        detach: argv.detach, nullIO: argv['null-io'], logURI: argv['log-uri'], fifoDir: argv['fifo-dir'], pidFile: argv['pid-file'],
        noPivot: argv['no-pivot'], console: con, tty, line: flavour.line,
      });
      exitWith(code);
    });
  },
};
export default command;
