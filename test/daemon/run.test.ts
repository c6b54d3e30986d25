/**
 * ctrx run through the built binary on both daemons: real containers under
 * runc, real stdio through FIFOs, a real pseudo-terminal (python3's pty
 * module) for -t, signals sent to the ctrx process, exit codes, and cleanup
 * checked with ctr and on disk.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, LINES } from '../helpers/rig';
import { BIN, ctrxAsync, fifoDirsFor, setupNamespace, snapshotKeys, teardownNamespace, until } from './containers-fixtures';

jest.setTimeout(180_000);
const FIFO_ROOT = '/run/containerd/fifo';

// Runs argv inside a pseudo-terminal of rows x cols; when the task prints mark1 the window
// changes to rows2 x cols2, when it prints mark2 a line is typed. Prints JSON: the output, the exit code, and whether the terminal
// mode afterwards equals the mode before.
const PTY_DRIVER = `
import json, os, pty, select, struct, sys, termios, fcntl, time
argv = json.loads(sys.argv[1]); rows, cols, rows2, cols2, after = map(float, sys.argv[2:7])
pid, fd = pty.fork()
if pid == 0:
    time.sleep(0.3)
    os.execvp(argv[0], argv)
def setsize(r, c): fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', int(r), int(c), 0, 0))
setsize(rows, cols)
before = termios.tcgetattr(fd)
out = b''; start = time.time(); resized = False; sent = False; status = None
while True:
    if not resized and b'mark1' in out:
        setsize(rows2, cols2); resized = True
    if not sent and b'mark2' in out:
        os.write(fd, b'typed-in\\r'); sent = True
    if time.time() - start > 50:
        os.kill(pid, 9)
    r, _, _ = select.select([fd], [], [], 0.1)
    if fd in r:
        try:
            b = os.read(fd, 4096)
        except OSError:
            b = b''
        if not b:
            break
        out += b
    wp, st = os.waitpid(pid, os.WNOHANG)
    if wp:
        status = st
        after_mode = termios.tcgetattr(fd)
        try:
            while True:
                b = os.read(fd, 4096)
                if not b: break
                out += b
        except OSError:
            pass
        break
if status is None:
    _, status = os.waitpid(pid, 0)
    after_mode = termios.tcgetattr(fd)
print(json.dumps({'out': out.decode('utf8', 'replace'), 'code': os.waitstatus_to_exitcode(status), 'restored': before == after_mode}))
`;

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  let rich: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctn-run-'));
  beforeAll(async () => {
    d = await daemon(line);
    ({ ns, image, rich } = await setupNamespace(d, 'ctnrun'));
  });
  afterAll(() => {
    teardownNamespace(d, ns);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const leftovers = (id: string) => ({
    containers: ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter((x) => x === id),
    snapshots: snapshotKeys(d, ns).filter((k) => k === id),
    fifos: fifoDirsFor(FIFO_ROOT, id),
  });
  const nothingLeft = { containers: [], snapshots: [], fifos: [] };

  it('passes the exit code on, keeps stdout and stderr apart, and --rm leaves nothing', () => {
    const r = ctrxOn(d, ['run', '--rm', image, 'r1', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3'], { namespace: ns });
    expect(r).toMatchObject({ code: 3, stdout: 'to-out\n', stderr: 'to-err\n' });
    expect(leftovers('r1')).toEqual(nothingLeft);
  });

  it('runs the image config (entrypoint, cmd, user, cwd, env) like ctr', () => {
    const cmd = ['sh', '-c', 'echo $(id -u):$(id -g) $(pwd) $FROM_IMAGE'];
    const mine = ctrxOn(d, ['run', '--rm', rich, 'r2', ...cmd], { namespace: ns });
    const theirs = ctr(d, ['run', '--rm', rich, 'r2c', ...cmd], { namespace: ns });
    expect(mine).toMatchObject({ code: 0, stdout: theirs.stdout });
    expect(mine.stdout).toBe('1234:2345 /bin 1\n');
    expect(ctrxOn(d, ['run', '--rm', rich, 'r3'], { namespace: ns }).stdout).toBe('default-cmd\n');
  });

  it('pipes stdin through and closes it at its end (every byte arrives)', () => {
    const big = 'x'.repeat(300_000) + '\nend\n';
    const r = ctrxOn(d, ['run', '--rm', image, 'r4', 'sh', '-c', 'cat | wc -c'], { namespace: ns, input: big });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(String(Buffer.byteLength(big)));
  });

  it('reports 128+n when a signal kills the task, and forwards its own signals to the task', async () => {
    const a = ctrxAsync(d, ns, ['run', '--rm', image, 'r5', 'sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while true; do sleep 0.1; done']);
    await until(() => a.out().includes('ready'), 30000, 'the task to start');
    a.child.kill('SIGTERM');
    const res = await a.done;
    expect(res).toMatchObject({ code: 42, stdout: 'ready\ngot-term\n' });
    const b = ctrxAsync(d, ns, ['run', '--rm', image, 'r6', 'sh', '-c', 'echo ready; sleep 60']);
    await until(() => b.out().includes('ready'), 30000, 'the task to start');
    expect(ctr(d, ['tasks', 'kill', '-s', 'SIGKILL', 'r6'], { namespace: ns }).code).toBe(0);
    expect((await b.done).code).toBe(137);
    expect(leftovers('r5')).toEqual(nothingLeft);
    expect(leftovers('r6')).toEqual(nothingLeft);
  });

  it('with -t uses the local terminal: raw mode, the window size at start and on change', () => {
    const argv = [process.execPath, BIN, '-a', d.address, '-n', ns, 'run', '--rm', '-t', image, 'r7', 'sh', '-c', 'sleep 0.5; stty size; echo mark1; sleep 1; stty size; echo mark2; read line; echo "read:$line"; exit 7'];
    const r = spawnSync('python3', ['-c', PTY_DRIVER, JSON.stringify(argv), '33', '101', '40', '120', '2'], { encoding: 'utf8', timeout: 60000 });
    const res = JSON.parse(r.stdout);
    expect(res.code).toBe(7);
    const lines = res.out.split(/\r?\n/);
    expect(lines).toContain('33 101');
    expect(lines).toContain('40 120');
    expect(res.out).toContain('read:typed-in');
    // Raw locally: only the task's terminal echoes what was typed, and lines end in \r\n, not \r\r\n.
    expect(res.out.split('typed-in').length - 1).toBe(2);
    expect(res.out).not.toContain('\r\r\n');
    expect(res.restored).toBe(true);
    expect(leftovers('r7')).toEqual(nothingLeft);
  });

  it('refuses -t without a terminal before creating anything', () => {
    const r = ctrxOn(d, ['run', '-t', image, 'r8', 'true'], { namespace: ns });
    expect(r).toMatchObject({ code: 1, stderr: 'ctrx: --tty needs a terminal, but stdin is not one: invalid argument\n' });
    expect(leftovers('r8')).toEqual(nothingLeft);
  });

  it('leaves no container, snapshot or FIFO when the task cannot start', () => {
    const r = ctrxOn(d, ['run', image, 'r9', 'no-such-command'], { namespace: ns });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^ctrx: .*no-such-command.*\n$/);
    expect(leftovers('r9')).toEqual(nothingLeft);
  });

  it('refuses an ID in use and leaves the existing container alone', () => {
    ctr(d, ['c', 'create', image, 'r10'], { namespace: ns });
    const r = ctrxOn(d, ['run', '--rm', image, 'r10', 'true'], { namespace: ns });
    expect(r).toMatchObject({ code: 1, stderr: 'ctrx: container "r10": already exists\n' });
    expect(leftovers('r10')).toEqual({ containers: ['r10'], snapshots: ['r10'], fifos: [] });
    ctr(d, ['c', 'rm', 'r10'], { namespace: ns });
  });

  it('takes --null-io, --log-uri, --fifo-dir and --pid-file', () => {
    expect(ctrxOn(d, ['run', '--rm', '--null-io', image, 'r11', 'echo', 'lost'], { namespace: ns })).toMatchObject({ code: 0, stdout: '' });
    const log = path.join(tmp, 'log.txt');
    const r = ctrxOn(d, ['run', '--rm', '--log-uri', `file://${log}`, image, 'r12', 'sh', '-c', 'echo logged; echo err >&2'], { namespace: ns });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(fs.readFileSync(log, 'utf8')).toContain('logged\n');
    const fifoDir = path.join(tmp, 'fifos');
    const pidFile = path.join(tmp, 'pid');
    const a = ctrxOn(d, ['run', '-d', '--fifo-dir', fifoDir, '--pid-file', pidFile, image, 'r13', 'sleep', '60'], { namespace: ns });
    expect(a).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const task = ctr(d, ['tasks', 'ls'], { namespace: ns }).stdout;
    expect(task).toMatch(new RegExp(`^r13 +${fs.readFileSync(pidFile, 'utf8')} +RUNNING$`, 'm'));
    const dirs = fifoDirsFor(fifoDir, 'r13');
    expect(dirs).toHaveLength(1);
    expect((fs.statSync(path.join(fifoDir, dirs[0])).mode & 0o777).toString(8)).toBe('700');
    expect(fs.readdirSync(path.join(fifoDir, dirs[0])).sort()).toEqual(['r13-stderr', 'r13-stdin', 'r13-stdout']);
    // ctr removes the FIFOs it finds when it deletes the task.
    expect(ctr(d, ['tasks', 'rm', '-f', 'r13'], { namespace: ns }).code).toBe(0);
    expect(fifoDirsFor(fifoDir, 'r13')).toEqual([]);
    ctr(d, ['c', 'rm', 'r13'], { namespace: ns });
  });

  it('runs in a user namespace on a snapshot it shifted itself, which ctr then reuses', () => {
    const maps = ['--uidmap', '0:410000:65536', '--gidmap', '0:420000:65536'];
    // Compared as sets: the collector may drop an unrelated snapshot meanwhile.
    const committed = () => ctr(d, ['snapshots', 'ls'], { namespace: ns }).stdout.split('\n').filter((l) => l.includes('Committed')).map((l) => l.split(/\s+/)[0]);
    const before = committed();
    const inside = ['sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map; stat -c "%u %g" /bin/busybox'];
    const r = ctrxOn(d, ['run', '--rm', ...maps, image, 'r15', ...inside], { namespace: ns });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split(/\s+/).filter(Boolean)).toEqual(['0', '410000', '65536', '0', '420000', '65536', '0', '0']);
    // The shifted snapshot is kept only while a container uses it (after --rm the
    // collector may take it at any moment), so look at it under a running one.
    expect(ctrxOn(d, ['run', '-d', ...maps, image, 'r16', 'sleep', '60'], { namespace: ns }).code).toBe(0);
    const shifted = committed().filter((k) => !before.includes(k));
    expect(shifted).toHaveLength(1);
    expect(ctr(d, ['snapshots', 'info', 'r16'], { namespace: ns }).stdout).toContain(`"Parent": "${shifted[0]}"`);
    // Seen from the host, the files belong to the mapped IDs.
    const mnt = ctr(d, ['snapshots', 'mounts', '/mnt', 'r16'], { namespace: ns }).stdout;
    const lower = /lowerdir=([^:,\s]+)/.exec(mnt)![1];
    const st = fs.statSync(path.join(lower, 'bin', 'busybox'));
    expect([st.uid, st.gid]).toEqual([410000, 420000]);
    // ctr finds the shifted snapshot by the same name and makes no other.
    const theirs = ctr(d, ['run', '--rm', ...maps, image, 'r17', ...inside], { namespace: ns });
    expect(theirs.stdout).toBe(r.stdout);
    expect(committed().filter((k) => !before.includes(k))).toEqual(shifted);
    ctr(d, ['t', 'rm', '-f', 'r16'], { namespace: ns });
    ctr(d, ['c', 'rm', 'r16'], { namespace: ns });
    const bad = ctrxOn(d, ['run', '--rm', '--uidmap', '0:x:1', '--gidmap', '0:1:1', image, 'r18', 'true'], { namespace: ns });
    expect(bad).toMatchObject({ code: 1, stderr: 'ctrx: invalid host id for user namespace remapping: strconv.ParseUint: parsing "x": invalid syntax: invalid argument\n' });
    expect(leftovers('r18')).toEqual(nothingLeft);
  });

  it('refuses the flags it cannot honour here, naming the reason, before making anything', () => {
    const apparmor = fs.existsSync('/sys/kernel/security/apparmor/profiles') ? /profile generation/ : /AppArmor is not enabled on this host/;
    // --cni with no network config (an empty NETCONFPATH): refused before anything is made.
    const noNets = fs.mkdtempSync('/tmp/ctrx-nonets-');
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['--apparmor-default-profile', 'ctrx-x'], apparmor],
      [['--cni'], new RegExp(`^ctrx: no CNI network config found in ${noNets}: cni plugin not initialized\n$`), { NETCONFPATH: noNets }],
    ];
    for (const [flags, why, env] of cases) {
      const r = ctrxOn(d, ['run', '--rm', ...flags, image, 'r19', 'true'], { namespace: ns, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(why);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(leftovers('r19')).toEqual(nothingLeft);
    }
    fs.rmdirSync(noNets);
  });

  it('makes the calls in ctr order: Prepare, Create, Tasks.Create, Wait before Start', () => {
    const r = ctrxOn(d, ['--trace', 'run', '--rm', image, 'r14', 'true'], { namespace: ns });
    expect(r.code).toBe(0);
    const calls = [...r.stderr.matchAll(/^trace #\d+ call containerd\.services\.\w+\.v1\.(\w+\/\w+) /gm)].map((m) => m[1]);
    const at = (m: string) => calls.indexOf(m);
    expect(at('Snapshots/Prepare')).toBeGreaterThan(-1);
    expect(at('Snapshots/Prepare')).toBeLessThan(at('Containers/Create'));
    expect(at('Containers/Create')).toBeLessThan(at('Tasks/Create'));
    expect(at('Tasks/Create')).toBeLessThan(at('Tasks/Wait'));
    expect(at('Tasks/Wait')).toBeLessThan(at('Tasks/Start'));
    expect(calls.slice(-2)).toEqual(['Snapshots/Remove', 'Containers/Delete']);
  });
});
