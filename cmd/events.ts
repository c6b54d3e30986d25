/**
 * `ctrx events [FILTER...]` (event): the daemon's event stream, every
 * namespace unless filtered, one line per event as ctr prints it (or
 * --format json: one JSON document per line). Runs until interrupted; SIGINT
 * and SIGTERM end it with the shell's 128+n status, as they end ctr.
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, withClient, withFormat } from './context';
import { ExitError, wrap } from '../internal/errdefs';

type Args = GlobalArgs & { filters?: string[]; format: string };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'events [filters..]',
  aliases: ['event'],
  describe: 'Display containerd events',
  builder: (y) =>
    withFormat(
      y.positional('filters', { type: 'string', array: true, describe: 'containerd filters, e.g. topic=="/tasks/exit" namespace==default' }),
      ['table', 'json'],
    ),
  handler: async (argv) => {
    const { eventLine, eventJSONLine } = await import('../internal/events/render');
    const { daemonStyle } = await import('../internal/snapshots/snapshots');
    await withClient(argv, async (c) => {
      const style = argv.format === 'json' ? 'golang' : await daemonStyle(c);
      const stream = c.serverStream('containerd.services.events.v1.Events', 'Subscribe', { filters: argv.filters ?? [] }, { noDeadline: true });
      let stoppedBy: NodeJS.Signals | undefined;
      const stop = (sig: NodeJS.Signals) => {
        stoppedBy = sig;
        stream.cancel();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // A reader that goes away (| head) ends the stream quietly.
      let readerGone = false;
      const onOutError = (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        readerGone = true;
        stream.cancel();
      };
      process.stdout.on('error', onOutError);
      try {
        for await (const e of stream) {
          const line = argv.format === 'json' ? eventJSONLine(e) : eventLine(e, style);
          if (readerGone) break;
          if (!process.stdout.write(line)) await new Promise((r) => process.stdout.once('drain', r));
        }
      } catch (err) {
        if (!stoppedBy && !readerGone) throw wrap(err, 'subscribe to events');
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      if (readerGone) return;
      if (stoppedBy) throw new ExitError(stoppedBy === 'SIGINT' ? 130 : 143);
      throw new Error('subscribe to events: the daemon ended the stream');
    });
  },
};
export default command;
