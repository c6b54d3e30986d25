/**
 * tasks start/attach/exec/kill/delete/pause/resume/ps/metrics/list through the
 * built binary on both daemons, each checked with that line's ctr, and ctr
 * and ctrx handling each other's tasks.
 */
import { ctr, ctrxOn, Daemon, LINES } from '../helpers/rig';
import { ctrxAsync, fifoDirsFor, namespaceForBlock, until } from './containers-fixtures';

jest.setTimeout(180_000);
const FIFO_ROOT = '/run/containerd/fifo';

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  let rich: string;
  namespaceForBlock(line, 'ctnt', (f) => ({ d, ns, image, rich } = f));
  // Exec IDs name FIFOs in the shared FIFO directory: unique per run.
  const tag = `-${process.pid}-${line.replace('.', '')}`;

  const status = (id: string) => (new RegExp(`^${id} +\\d+ +(\\w+)$`, 'm').exec(ctr(d, ['t', 'ls'], { namespace: ns }).stdout) ?? [])[1];

  it('starts a created container attached, with its exit code, and ctr sees no task after', () => {
    expect(ctrxOn(d, ['c', 'create', image, 't1', 'sh', '-c', 'echo started; exit 4'], { namespace: ns }).code).toBe(0);
    expect(ctrxOn(d, ['t', 'start', 't1'], { namespace: ns })).toMatchObject({ code: 4, stdout: 'started\n', stderr: '' });
    expect(ctr(d, ['t', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
    expect(fifoDirsFor(FIFO_ROOT, 't1')).toEqual([]);
  });

  it('lists, pauses, resumes, ps and metrics like ctr, on a task ctr started', () => {
    expect(ctr(d, ['run', '-d', image, 't2', 'sleep', '120'], { namespace: ns }).code).toBe(0);
    expect(ctrxOn(d, ['t', 'ls'], { namespace: ns }).stdout).toBe(ctr(d, ['t', 'ls'], { namespace: ns }).stdout);
    expect(ctrxOn(d, ['t', 'ls', '-q'], { namespace: ns }).stdout).toBe('t2\n');
    expect(JSON.parse(ctrxOn(d, ['t', 'ls', '--format', 'json'], { namespace: ns }).stdout)[0]).toMatchObject({ id: 't2', status: 'RUNNING' });
    expect(ctrxOn(d, ['t', 'pause', 't2'], { namespace: ns }).code).toBe(0);
    expect(status('t2')).toBe('PAUSED');
    expect(ctrxOn(d, ['t', 'resume', 't2'], { namespace: ns }).code).toBe(0);
    expect(status('t2')).toBe('RUNNING');
    expect(ctrxOn(d, ['t', 'exec', '-d', '--exec-id', `side${tag}`, 't2', 'sleep', '60'], { namespace: ns }).code).toBe(0);
    expect(ctrxOn(d, ['t', 'ps', 't2'], { namespace: ns }).stdout).toBe(ctr(d, ['t', 'ps', 't2'], { namespace: ns }).stdout);
    // Metrics move between calls: compare the shape (rows and JSON keys), not the numbers.
    const shape = (s: string) => s.replace(/\d+/g, 'N').replace(/ +/g, ' ');
    expect(shape(ctrxOn(d, ['t', 'metrics', 't2'], { namespace: ns }).stdout)).toBe(shape(ctr(d, ['t', 'metrics', 't2'], { namespace: ns }).stdout));
    const keys = (s: string) => JSON.stringify(JSON.parse(s), (k, v) => (typeof v === 'number' ? 0 : v));
    expect(keys(ctrxOn(d, ['t', 'metric', '--format', 'json', 't2'], { namespace: ns }).stdout)).toBe(keys(ctr(d, ['t', 'metrics', '--format', 'json', 't2'], { namespace: ns }).stdout));
    const limit = ctrxOn(d, ['t', 'metrics', '--format', 'json', 't2'], { namespace: ns }).stdout;
    expect(limit).toMatch(/"limit": 9223372036854771712/); // uint64 printed exactly
  });

  it('execs with the exit code, cwd, user and env; refuses an exec ID in use', () => {
    const r = ctrxOn(d, ['t', 'exec', '--exec-id', `e1${tag}`, '--cwd', '/bin', '--env', 'X=9', 't2', 'sh', '-c', 'echo $(pwd) $X; exit 6'], { namespace: ns });
    expect(r).toMatchObject({ code: 6, stdout: '/bin 9\n', stderr: '' });
    const dup = ctrxOn(d, ['t', 'exec', '--exec-id', `side${tag}`, 't2', 'true'], { namespace: ns });
    expect(dup).toMatchObject({ code: 1, stderr: `ctrx: exec "side${tag}" in container "t2": already exists\n` });
    const stdin = ctrxOn(d, ['t', 'exec', '--exec-id', `e2${tag}`, 't2', 'cat'], { namespace: ns, input: 'via-exec\n' });
    expect(stdin).toMatchObject({ code: 0, stdout: 'via-exec\n' });
    expect(fifoDirsFor(FIFO_ROOT, `e1${tag}`).concat(fifoDirsFor(FIFO_ROOT, `e2${tag}`))).toEqual([]);
  });

  it('refuses to delete a running task without -f, kills it with -f, and kill of a stopped task fails plainly', () => {
    const r = ctrxOn(d, ['t', 'rm', 't2'], { namespace: ns });
    expect(r).toMatchObject({ code: 1, stderr: 'ctrx: unable to delete task "t2": task must be stopped before deletion: running: failed precondition\n' });
    expect(ctrxOn(d, ['c', 'rm', 't2'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: cannot delete a non stopped container "t2": its task is running: failed precondition\n' });
    expect(fifoDirsFor(FIFO_ROOT, `side${tag}`)).toHaveLength(1);
    expect(ctrxOn(d, ['t', 'rm', '-f', 't2'], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['t', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
    // The detached exec's FIFOs go with the task (ctr leaves them).
    expect(fifoDirsFor(FIFO_ROOT, 't2').concat(fifoDirsFor(FIFO_ROOT, `side${tag}`))).toEqual([]);
    expect(ctr(d, ['c', 'rm', 't2'], { namespace: ns }).code).toBe(0);
    const k = ctrxOn(d, ['t', 'kill', 'nosuch'], { namespace: ns });
    expect(k).toMatchObject({ code: 1, stderr: `ctrx: container "nosuch" in namespace "${ns}": not found\n` });
  });

  it('kills with the image stop signal when -s is left out, and with -s / -a', async () => {
    // The rich image's stop signal is SIGUSR1; the task exits 10 on it.
    expect(ctrxOn(d, ['run', '-d', rich, 't3', 'sh', '-c', 'trap "exit 10" USR1; trap "exit 20" TERM; while true; do sleep 0.1; done'], { namespace: ns }).code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(ctrxOn(d, ['t', 'kill', 't3'], { namespace: ns })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    await until(() => status('t3') === 'STOPPED', 20000, 't3 to stop');
    const del = ctr(d, ['t', 'rm', 't3'], { namespace: ns });
    expect(del.stderr).toContain('exit code 10');
    const killed = ctrxOn(d, ['t', 'kill', 't3'], { namespace: ns });
    expect(killed.code).toBe(1);
    expect(killed.stderr).toMatch(/^ctrx: no running task found: task t3 not found: not found\n$/);
    expect(ctrxOn(d, ['t', 'start', '-d', 't3'], { namespace: ns }).code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(ctrxOn(d, ['t', 'kill', '-a', '-s', 'TERM', 't3'], { namespace: ns }).code).toBe(0);
    await until(() => status('t3') === 'STOPPED', 20000, 't3 to stop');
    const rm = ctrxOn(d, ['t', 'rm', 't3'], { namespace: ns });
    expect(rm).toMatchObject({ code: 0, stderr: 'ctrx: warning: task t3 exit with non-zero exit code 20\n' });
    ctr(d, ['c', 'rm', 't3'], { namespace: ns });
  });

  it('refuses a second start of a running task', () => {
    expect(ctrxOn(d, ['run', '-d', image, 't4', 'sleep', '60'], { namespace: ns }).code).toBe(0);
    const again = ctrxOn(d, ['t', 'start', 't4'], { namespace: ns });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('ctrx: task for container "t4": already exists (a task is already running)\n');
    expect(status('t4')).toBe('RUNNING');
    ctr(d, ['t', 'rm', '-f', 't4'], { namespace: ns });
    ctr(d, ['c', 'rm', 't4'], { namespace: ns });
  });

  it('attaches to a task ctr started detached, and ctr attaches to one ctrx started', async () => {
    expect(ctr(d, ['run', '-d', image, 't5', 'sh', '-c', 'read x; echo "got:$x"; exit 5'], { namespace: ns }).code).toBe(0);
    const a = ctrxAsync(d, ns, ['t', 'attach', 't5']);
    await new Promise((r) => setTimeout(r, 1500));
    a.child.stdin.write('hello\n');
    const res = await a.done;
    expect(res).toMatchObject({ code: 5, stdout: 'got:hello\n' });
    expect(ctr(d, ['t', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
    expect(fifoDirsFor(FIFO_ROOT, 't5')).toEqual([]);
    ctr(d, ['c', 'rm', 't5'], { namespace: ns });

    expect(ctrxOn(d, ['run', '-d', image, 't6', 'sh', '-c', 'read x; echo "got:$x"; exit 6'], { namespace: ns }).code).toBe(0);
    const theirs = ctr(d, ['t', 'attach', 't6'], { namespace: ns, input: 'there\n' });
    expect(theirs).toMatchObject({ code: 6, stdout: 'got:there\n' });
    expect(fifoDirsFor(FIFO_ROOT, 't6')).toEqual([]);
    expect(ctr(d, ['c', 'rm', 't6'], { namespace: ns }).code).toBe(0);
  });
});
