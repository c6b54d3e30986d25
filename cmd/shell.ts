/**
 * `ctrx shell`: many ctrx command lines in one process over one connection.
 * Each line runs through a fresh yargs app exactly as one-shot ctrx would
 * (same commands, output and error lines), with the session's client.
 */
import type { CommandModule } from 'yargs';
import { currentSession, GlobalArgs, setSession } from './context';
import { ExitError, UsageError } from '../internal/errdefs';

type Args = GlobalArgs & { 'keep-going': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'shell',
  describe: 'Run many commands over one connection: interactive with history and completion, or command lines from stdin',
  builder: (y) =>
    y.option('keep-going', { type: 'boolean', default: false, describe: 'Reading stdin: run every line even after a failure (exit code of the last failure)' }),
  handler: async (argv) => {
    if (currentSession()) throw new UsageError('already in a ctrx shell');
    const [{ Client }, { runShell }, { buildApp }, { report }, { completeWords }] = await Promise.all([
      import('../internal/client/client'),
      import('../internal/shell/session'),
      import('./app'),
      import('./main'),
      import('./completion'),
    ]);
    const client = new Client({ address: argv.address, namespace: argv.namespace });
    const session = {
      client,
      defaults: {
        address: argv.address,
        namespace: argv.namespace,
        timeout: argv.timeout,
        'connect-timeout': argv['connect-timeout'],
        debug: argv.debug,
        trace: argv.trace,
        'trace-format': argv['trace-format'],
        lease: argv.lease,
      },
    } as Parameters<typeof setSession>[0] & object;
    setSession(session);
    let code: number;
    try {
      code = await runShell({
        keepGoing: argv['keep-going'],
        runLine: async (words) => {
          try {
            // A fresh app per line: yargs keeps state between parses.
            await buildApp(words).exitProcess(false).parseAsync();
            return 0;
          } catch (err) {
            return report(err, words.includes('--debug') || !!argv.debug);
          }
        },
        complete: (words) => completeWords(argv, words),
        interrupt: () => session.current?.cancelAll(),
      });
    } finally {
      setSession(undefined);
      client.close();
    }
    if (code) throw new ExitError(code);
  },
};
export default command;
