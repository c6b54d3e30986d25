/**
 * The ctrx process: parse, run one command, and turn any failure into one
 * line on stderr and an exit code. This is the only place that sets the exit
 * code; handlers throw.
 */
import { buildApp } from './app';
import { ExitError, RpcError, UsageError } from '../internal/errdefs';

/** Run ctrx with the given arguments; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const debug = wantsDebug(args);
  try {
    await buildApp(args).parseAsync();
    return 0;
  } catch (err) {
    return report(err, debug);
  }
}

// The global --debug is a switch; pprof's own --debug takes a number
// (`pprof heap --debug 1`), which must not turn stack traces on.
function wantsDebug(args: string[]): boolean {
  return args.some((a, i) => (a === '--debug' && !/^\d+$/.test(args[i + 1] ?? '')) || a === '--debug=true');
}

/** Print a command's failure as one line on stderr (and the stack with --debug); returns the exit code. */
export function report(err: unknown, debug: boolean): number {
  if (err instanceof ExitError) {
    if (err.message) process.stderr.write(`ctrx: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  let message = e.message;
  if (e instanceof UsageError && !/invalid argument$/.test(message)) message += ': invalid argument';
  process.stderr.write(`ctrx: ${message}\n`);
  if (debug) {
    if (e instanceof RpcError) process.stderr.write(`  rpc ${e.method} code=${e.code} (${e.errorClass})\n`);
    process.stderr.write(`${e.stack}\n`);
  }
  return 1;
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
