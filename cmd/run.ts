/** `ctrx run`: containers create + tasks start in one, with ctr's flags, IO and exit code. */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient } from './context';
import { withRunFlags, type ContainerFlagArgs } from '../internal/container-flags';
import { UsageError } from '../internal/errdefs';
import { commandArgs, containerPositionals } from '../internal/containers/positionals';

type Args = GlobalArgs & ContainerFlagArgs & { _: (string | number)[]; args?: string[] };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'run [args..]',
  describe: 'Run a container',
  builder: (y) => withRunFlags(y).usage('ctrx run [flags] Image|RootFS ID [COMMAND] [ARG...]') as never,
  handler: async (argv) => {
    const pos = containerPositionals(commandArgs(argv, 1), !!argv.config);
    if (argv.rm && argv.detach) throw new UsageError('flags --detach and --rm cannot be specified together');
    if (argv.tty && argv['null-io']) throw new UsageError('tty and null-io cannot be used together');
    // The terminal is checked before anything is created.
    const { currentConsole } = await import('../internal/stdio/tty');
    const con = argv.tty && !argv.detach ? currentConsole() : undefined;
    // The CNI network config is read before anything is made: a missing or broken one leaves nothing behind.
    const cni = argv.cni ? (await import('../internal/cni/container')).loadCni() : undefined;
    await withClient(argv, async (client) => {
      const { newContainer, daemonFlavour } = await import('../internal/containers/new-container');
      const { startTask } = await import('../internal/containers/run');
      const { exitWith } = await import('../internal/containers/task');
      const flavourP = daemonFlavour(client);
      const container = await newContainer(client, { ...pos, flags: argv }, flavourP);
      const flavour = await flavourP;
      const code = await startTask(client, container, {
        detach: !!argv.detach,
        nullIO: argv['null-io'],
        logURI: argv['log-uri'],
        fifoDir: argv['fifo-dir'],
        pidFile: argv['pid-file'],
        noPivot: argv['no-pivot'],
        console: con,
        tty: !!argv.tty,
        line: flavour.line,
        removeContainer: argv.rm ? 'always' : 'on-failure',
        cni,
      });
      exitWith(code);
    });
  },
};
export default command;
