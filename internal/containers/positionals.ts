/** The positional arguments of run and containers create, checked as ctr checks them. */
import { UsageError } from '../errdefs';

/**
 * Everything after the command words: yargs leaves it in argv._ (after the
 * `--` that haltAtFirstPositional put in) plus whatever [args..] collected.
 */
export function commandArgs(argv: { _: (string | number)[]; args?: (string | number)[] }, commandWords = 2): string[] {
  return [...argv._.slice(commandWords), ...(argv.args ?? [])].map(String);
}

/** IMAGE ID [ARGS...], or just ID with --config. */
export function containerPositionals(args: string[], config: boolean): { ref: string; id: string; args: string[] } {
  if (config) {
    if (args.length !== 1) throw new UsageError('with spec config file, only container id should be provided');
    return { ref: '', id: args[0], args: [] };
  }
  const [ref, id, ...rest] = args;
  if (!ref) throw new UsageError('image ref must be provided');
  if (!id) throw new UsageError('container id must be provided');
  return { ref, id, args: rest };
}
