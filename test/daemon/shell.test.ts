/**
 * `ctrx shell` through the built binary on both daemons: a 100-command batch
 * with the output of one-shot ctrx, failures and exit codes in batch mode, and
 * the interactive shell in a real pseudo-terminal completing live IDs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';
import { BIN, dropNamespace, namespaceWithImage } from './trace-fixtures';

jest.setTimeout(240_000);

// Types each chunk into a pseudo-terminal running argv, waiting after each; prints all output.
const PTY_DRIVER = `
import json, os, pty, select, sys, time
argv = json.loads(sys.argv[1]); chunks = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
def pump(until, t):
    global out
    end = time.time() + t
    while time.time() < end:
        if until and until.encode() in out: return
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try: d = os.read(fd, 65536)
            except OSError: return
            if not d: return
            out += d
pump('ctrx> ', 20)
for text, wait in chunks:
    mark = len(out)
    os.write(fd, text.encode())
    end = time.time() + 20
    while time.time() < end and wait.encode() not in out[mark:]:
        pump(None, 0.1)
pump(None, 0.5)
try: os.waitpid(pid, 0)
except ChildProcessError: pass
sys.stdout.write(out.decode(errors='replace'))
`;

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let ref: string;
  beforeAll(async () => {
    d = await daemon(line);
    ({ ns, ref } = await namespaceWithImage(d, `shell${line.replace('.', '')}`));
  });
  afterAll(() => dropNamespace(d, ns));

  it('runs a 100-command batch over one connection with one-shot output', () => {
    const made = Array.from({ length: 20 }, (_, i) => `${ns}-b${i}`);
    const lines: string[] = [];
    for (const n of made) lines.push(`namespaces create ${n} k=${n}`);
    for (const n of made) lines.push(`ns label ${n} "two words"=x`);
    for (let i = 0; i < 20; i++) lines.push('images ls -q', 'api call Version/Version --compact');
    for (const n of made) lines.push(`namespaces rm ${n}`);
    expect(lines).toHaveLength(100);
    const r = ctrxOn(d, ['shell'], { namespace: ns, input: lines.join('\n') + '\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const images = ctrxOn(d, ['images', 'ls', '-q'], { namespace: ns }).stdout;
    const version = ctrxOn(d, ['api', 'call', 'Version/Version', '--compact']).stdout;
    expect(images).toBe(`${ref}\n`);
    expect(r.stdout).toBe((images + version).repeat(20) + made.map((n) => `${n}\n`).join(''));
    expect(ctr(d, ['ns', 'ls', '-q']).stdout.split('\n').filter((n) => n.startsWith(`${ns}-b`))).toEqual([]);
  });

  it('stops at the first failure with its exit code, or keeps going and exits with the last failure', () => {
    const after = uniqueName('after');
    const lines = [`run --rm ${ref} ${uniqueName('ex')} sh -c "exit 3"`, `ns create ${after}`, 'ns rm no-such-namespace-x', ''].join('\n');
    const stop = ctrxOn(d, ['shell'], { namespace: ns, input: lines });
    expect(stop.code).toBe(3);
    expect(ctr(d, ['ns', 'ls', '-q']).stdout.split('\n')).not.toContain(after);
    const go = ctrxOn(d, ['shell', '--keep-going'], { namespace: ns, input: lines });
    expect(go.code).toBe(1);
    expect(go.stderr).toBe('ctrx: unable to delete no-such-namespace-x: namespace "no-such-namespace-x": not found\n');
    expect(ctr(d, ['ns', 'ls', '-q']).stdout.split('\n')).toContain(after);
    ctr(d, ['ns', 'rm', after]);
    const quote = ctrxOn(d, ['shell'], { namespace: ns, input: 'version\nns create "open\n' });
    expect(quote.code).toBe(1);
    expect(quote.stderr).toBe('ctrx: line 2: unterminated double quote\n');
    // Errors look like one-shot ctrx's; traces work per line.
    const tr = ctrxOn(d, ['shell'], { namespace: ns, input: '--trace api call Version/Version\n' });
    expect(tr.stderr).toMatch(/^trace #1 call containerd\.services\.version\.v1\.Version\/Version \(unary\)/);
  });

  it('completes commands and live IDs in a real terminal, and keeps history', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-home-'));
    const cid = uniqueName('ptyc');
    expect(ctr(d, ['containers', 'create', ref, cid], { namespace: ns }).code).toBe(0);
    const driver = path.join(home, 'drive.py');
    fs.writeFileSync(driver, PTY_DRIVER);
    const argv = [process.execPath, BIN, '-a', d.address, '-n', ns, 'shell'];
    const prefix = cid.slice(0, cid.length - 3);
    const chunks = [
      ['versi\t', 'version '],
      ['\x15', 'ctrx> '],
      [`containers info ${prefix}\t`, cid],
      ['\r', 'ctrx> '],
      ['exit\r', ''],
    ];
    const r = spawnSync('python3', [driver, JSON.stringify(argv), JSON.stringify(chunks.map(([t, w]) => [t, w]))], {
      env: { ...process.env, HOME: home },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const out = r.stdout;
    // Tab finished the container ID, Enter ran `containers info` on it.
    expect(out).toContain(`containers info ${cid} `);
    expect(out).toMatch(new RegExp(`"ID": "${cid}"`));
    expect(fs.readFileSync(path.join(home, '.ctrx_history'), 'utf8')).toBe(`containers info ${cid} \nexit\n`);
    ctr(d, ['containers', 'rm', cid], { namespace: ns });
    fs.rmSync(home, { recursive: true, force: true });
  });
});
