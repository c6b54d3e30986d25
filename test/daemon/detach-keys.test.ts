/**
 * `tasks attach --detach-keys` (ctrx's; ctr has no way to leave an attach but
 * to kill it): in a real pseudo-terminal, typing the keys leaves the task
 * running, untouched and reachable: ctr attaches to it next and drives it to
 * its exit. Without a terminal the keys work on piped input too. Bad keys are
 * refused before anything is opened.
 */
import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { ctr, ctrxOn, Daemon, LINES } from '../helpers/rig';
import { namespaceForBlock } from './containers-fixtures';

jest.setTimeout(120_000);

const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

// Runs argv in a pseudo-terminal, types each input after a pause, and prints
// JSON: the output, and the exit code (null if it had to be killed after 15 s).
const PTY_SESSION = `
import json, os, pty, select, signal, sys, time
argv = json.loads(sys.argv[1]); inputs = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''; status = None; start = time.time(); pending = list(inputs); next_at = start + 1.0
while time.time() - start < 15:
    if pending and time.time() >= next_at:
        os.write(fd, pending.pop(0).encode('latin1')); next_at = time.time() + 0.5
    r, _, _ = select.select([fd], [], [], 0.05)
    if fd in r:
        try:
            out += os.read(fd, 4096)
        except OSError:
            pass
    wp, st = os.waitpid(pid, os.WNOHANG)
    if wp:
        status = os.waitstatus_to_exitcode(st)
        break
if status is None:
    os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
print(json.dumps({'out': out.decode('utf8', 'replace'), 'code': status}))
`;

function inTerminal(argv: string[], inputs: string[]): { out: string; code: number | null } {
  const r = spawnSync('python3', ['-c', PTY_SESSION, JSON.stringify(argv), JSON.stringify(inputs)], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`pty driver: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  namespaceForBlock(line, 'detach', (f) => ({ d, ns, image } = f));
  const status = (id: string) => (new RegExp(`^${id} +\\d+ +(\\w+)$`, 'm').exec(ctr(d, ['t', 'ls'], { namespace: ns }).stdout) ?? [])[1];
  const id = `dk${line.replace('.', '')}`;

  it('leaves a terminal task running on ctrl-p,ctrl-q; ctr attaches next and ends it', () => {
    expect(ctrxOn(d, ['run', '-d', '-t', image, id, 'sh'], { namespace: ns }).code).toBe(0);
    const pid = (new RegExp(`^${id} +(\\d+) `, 'm').exec(ctr(d, ['t', 'ls'], { namespace: ns }).stdout) ?? [])[1];
    // The quotes keep the typed command's echo from matching the output.
    const mine = inTerminal([process.execPath, BIN, '-a', d.address, '-n', ns, 't', 'attach', '--detach-keys', 'ctrl-p,ctrl-q', id], ['echo o""ne\r', '\x10\x11']);
    expect(mine.code).toBe(0);
    expect(mine.out).toMatch(/\none\r*\n/);
    expect(mine.out).toContain(`ctrx: detached from task "${id}", which keeps running (ctrx tasks attach ${id} returns to it)`);
    // The same process, still running, its FIFOs still there for the next client.
    expect(ctr(d, ['t', 'ls'], { namespace: ns }).stdout).toMatch(new RegExp(`^${id} +${pid} +RUNNING$`, 'm'));
    const theirs = inTerminal([d.ctr, '-a', d.address, '-n', ns, 't', 'attach', id], ['echo t""wo\r', 'exit 3\r']);
    expect(theirs.out).toMatch(/\ntwo\r*\n/);
    expect(theirs.code).toBe(3);
    expect(ctr(d, ['t', 'ls', '-q'], { namespace: ns }).stdout.split('\n')).not.toContain(id);
    expect(ctr(d, ['c', 'rm', id], { namespace: ns }).code).toBe(0);
  });

  it('detaches from piped input too, and refuses keys it cannot read', async () => {
    const plain = `${id}p`;
    expect(ctrxOn(d, ['run', '-d', image, plain, 'cat'], { namespace: ns }).code).toBe(0);
    // The keys go in once the task has echoed the line back, so its output is seen before ctrx leaves.
    const child = spawn(process.execPath, [BIN, '-a', d.address, '-n', ns, 't', 'attach', '--detach-keys', 'ctrl-a,d', plain], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b) => {
      stdout += b;
      if (stdout.includes('hello\n')) child.stdin!.write('\x01d');
    });
    child.stderr!.on('data', (b) => (stderr += b));
    child.stdin!.write('hello\n');
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('hello\n');
    expect(stderr).toBe(`ctrx: detached from task "${plain}", which keeps running (ctrx tasks attach ${plain} returns to it)\n`);
    expect(status(plain)).toBe('RUNNING');
    const bad = ctrxOn(d, ['t', 'attach', '--detach-keys', 'ctrl-1', plain], { namespace: ns });
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toMatch(/^ctrx: invalid detach keys "ctrl-1": .*\n$/);
    expect(status(plain)).toBe('RUNNING');
    expect(ctr(d, ['t', 'rm', '-f', plain], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['c', 'rm', plain], { namespace: ns }).code).toBe(0);
  });
});
