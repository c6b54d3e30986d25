/**
 * criuReason: the line of criu's log a failed dump or restore is reported
 * with. The logs here are shaped like the ones criu 4 writes on this machine.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { criuReason } from '../../internal/containers/criu-log';

describe('criuReason', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-criu-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const logWith = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  const runtimeError = (log: string, type = 'NOTIFY') => `runc did not terminate successfully: exit status 1: criu failed: type ${type} errno 0 path= ${log}: unknown`;

  it('skips the errors criu carries on from and names the first real one, with the action asked for', () => {
    const log = logWith('criu-dump.log', [
      '(00.000136) Version: 4.2.1 (gitid 0)',
      "(00.055138) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted",
      '(00.107235) Error (criu/sk-inet.c:200): inet: Connected TCP socket, consider using --tcp-established option.',
      '(00.107264) Error (criu/cr-dump.c:1545): Dump files (pid: 29184) failed with -1',
      '(00.188439) Error (criu/cr-dump.c:1975): Dumping FAILED.',
    ]);
    expect(criuReason(runtimeError(log), 'dump')).toBe(`criu dump failed: inet: Connected TCP socket, consider using --tcp-established option. (criu log: ${log})`);
  });

  it('names a restore as a restore whatever RPC type runc reports', () => {
    const log = logWith('criu-restore.log', [
      '(00.010000) Error (criu/util.c:657): exited, status=1',
      '(00.020000) Error (criu/cr-restore.c:1234): Can\'t attach to 7: No such process',
    ]);
    expect(criuReason(runtimeError(log, 'RESTORE'), 'restore')).toBe(`criu restore failed: Can't attach to 7: No such process (criu log: ${log})`);
  });

  it('reads the restore form of the message (log file on its own line)', () => {
    const log = logWith('restore.log', ['(00.020000) Error (criu/cr-restore.c:99): Can\'t fork for 7: File exists']);
    const msg = `OCI runtime restore failed: criu failed: type NOTIFY errno 0\nlog file: ${log}`;
    expect(criuReason(msg, 'restore')).toBe(`criu restore failed: Can't fork for 7: File exists (criu log: ${log})`);
  });

  it('says one line when the log is gone or holds no error, and nothing for other errors', () => {
    expect(criuReason('container "x": not found', 'dump')).toBeUndefined();
    const gone = path.join(dir, 'missing.log');
    expect(criuReason(`OCI runtime restore failed: criu failed: type NOTIFY errno 0\nlog file: ${gone}`, 'restore')).toBe(`criu restore failed (criu's log ${gone} went with the task)`);
    const quiet = logWith('quiet.log', ['(00.000136) Version: 4.2.1 (gitid 0)', "(00.05) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted"]);
    expect(criuReason(runtimeError(quiet), 'dump')).toBe(`criu dump failed (criu log: ${quiet})`);
  });
});
