/** What a failed criu dump or restore says in its own log. */
import * as fs from 'fs';

// Lines criu logs as errors and then carries on from: never the reason a dump or restore failed.
const CRIU_NOT_A_REASON = [/^exited, status=/, /^rlimit: Can't setup RLIMIT_NOFILE/];

/**
 * criu's own reason for a failed dump or restore, from the log named in the
 * runtime's error: "criu failed: type NOTIFY errno 0 path= <log>" for a dump,
 * "criu failed: type NOTIFY errno 0\nlog file: <log>" for a restore. The RPC
 * type names criu's last message to runc, not what failed, so the caller says
 * which action it was. containerd removes a task that failed to restore, log
 * and all, before it answers: then the reason is criu's log path, said on one line.
 */
export function criuReason(message: string, action: 'dump' | 'restore'): string | undefined {
  const m = /criu failed: type \w+ errno \d+(?: path= ?|\s*log file: )(\S+\.log)/.exec(message);
  if (!m) return undefined;
  let log: string;
  try {
    log = fs.readFileSync(m[1], 'utf8');
  } catch {
    return `criu ${action} failed (criu's log ${m[1]} went with the task)`;
  }
  const errors = [...log.matchAll(/^\([\d.]+\) Error \([^)]*\): (.*)$/gm)].map((x) => x[1].trim()).filter((e) => !CRIU_NOT_A_REASON.some((re) => re.test(e)));
  if (!errors.length) return `criu ${action} failed (criu log: ${m[1]})`;
  return `criu ${action} failed: ${errors[0]} (criu log: ${m[1]})`;
}
