/**
 * ctr's ForwardAllSignals: every signal ctrx receives while attached without a
 * terminal goes to the task with Tasks.Kill, until the task is gone.
 *
 * ctr catches all signals but SIGURG. Node cannot catch SIGKILL or SIGSTOP
 * (nobody can), must not handle the synchronous faults (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL), and ctrx's own children (mount, mkfifo) send it SIGCHLD,
 * which is therefore not forwarded either.
 */
import { constants } from 'os';
import { isNotFound } from '../errdefs';

const NOT_FORWARDED = new Set(['SIGURG', 'SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGCHLD', 'SIGPROF', 'SIGCLD', 'SIGIOT', 'SIGPOLL', 'SIGUNUSED', 'SIGLOST', 'SIGINFO']);

/** The signals forwarded, by name. */
export function forwardedSignals(): NodeJS.Signals[] {
  return (Object.keys(constants.signals) as NodeJS.Signals[]).filter((s) => !NOT_FORWARDED.has(s));
}

/** Forward signals to kill(signo); returns a function that stops forwarding. */
export function forwardAllSignals(kill: (signo: number) => Promise<unknown>): () => void {
  const handlers: [NodeJS.Signals, () => void][] = [];
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const [sig, h] of handlers) process.off(sig, h);
  };
  for (const sig of forwardedSignals()) {
    const h = () => {
      kill(constants.signals[sig]).catch((err) => {
        if (isNotFound(err)) stop();
        else process.stderr.write(`ctrx: forward signal ${sig}: ${(err as Error).message}\n`);
      });
    };
    try {
      process.on(sig, h);
      handlers.push([sig, h]);
    } catch {
      // A signal this platform cannot watch.
    }
  }
  return stop;
}
