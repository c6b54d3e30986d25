/** The six pprof verbs, shared by `pprof` (containerd's debug socket) and `shim pprof` (a shim's). */
import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../context';
import { UsageError } from '../../internal/errdefs';
import { parseDuration } from '../../internal/util/duration';

type Args = Omit<GlobalArgs, 'debug'> & { debug?: number | boolean; seconds?: string } & Record<string, unknown>;

/** Stop a global option from reaching the verbs below y, so that they can define their own (yargs' global(key, false)). */
export function unglobal(y: Argv, key: string): Argv {
  return (y as unknown as { global(k: string, g: boolean): Argv }).global(key, false);
}

/** Where the debug server of this invocation listens. */
export type SocketOf = (argv: Args) => Promise<string> | string;

interface Profile {
  name: string;
  describe: string;
  path: string;
  debug: number;
  seconds?: string;
  secondsHelp?: string;
}

const PROFILES: Profile[] = [
  { name: 'block', describe: 'Goroutine blocking profile', path: '/debug/pprof/block', debug: 0 },
  { name: 'goroutines', describe: 'Dump goroutine stack dump', path: '/debug/pprof/goroutine', debug: 2 },
  { name: 'heap', describe: 'Dump heap profile', path: '/debug/pprof/heap', debug: 0 },
  { name: 'profile', describe: 'CPU profile', path: '/debug/pprof/profile', debug: 0, seconds: '30s', secondsHelp: 'Duration for collection (seconds)' },
  { name: 'threadcreate', describe: 'Goroutine thread creating profile', path: '/debug/pprof/threadcreate', debug: 0 },
  { name: 'trace', describe: 'Collect execution trace', path: '/debug/pprof/trace', debug: 0, seconds: '5s', secondsHelp: 'Trace time (seconds)' },
];

/**
 * The verbs, each a GET of its profile with ?debug=N (and seconds=S), the raw
 * body to stdout. `--debug` here is pprof's, as in ctr: ctrx's global
 * --debug flag is shadowed inside these verbs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pprofVerbs(socketOf: SocketOf): CommandModule<any, any>[] {
  return PROFILES.map((p): CommandModule<any, any> => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
    command: p.name,
    describe: p.describe,
    builder: (y: Argv) => {
      const b = y.option('debug', { type: 'number', default: p.debug, describe: 'Debug pprof args' });
      return p.seconds ? b.option('seconds', { alias: 's', type: 'string', default: p.seconds, describe: p.secondsHelp }) : b;
    },
    handler: async (argv) => {
      const { pprofGet, secondsQuery } = await import('../../internal/pprof/http');
      const debug = Number(argv.debug ?? p.debug);
      if (!Number.isInteger(debug) || debug < 0) throw new UsageError('invalid value for flag --debug: want a whole number');
      let query = `debug=${debug}`;
      // Profiles that run for a while answer only at the end.
      let answerMs = 15_000;
      if (p.seconds) {
        let ms: number;
        try {
          ms = parseDuration(String(argv.seconds));
        } catch (e) {
          throw new UsageError(`invalid value ${JSON.stringify(argv.seconds)} for flag --seconds: ${(e as Error).message}`);
        }
        query = `seconds=${secondsQuery(ms)}&${query}`;
        answerMs += ms;
      }
      await pprofGet(await socketOf(argv as unknown as Args), `${p.path}?${query}`, answerMs);
    },
  }));
}
