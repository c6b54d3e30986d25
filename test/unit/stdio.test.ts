/** FIFO sets and the non-blocking ways ctrx opens them (no daemon: a local writer and reader). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { newFifoSet, openReadFifo, openWriteFifo, removeFifoSet } from '../../internal/stdio/fifo';
import { forwardedSignals } from '../../internal/stdio/signals';

describe('FIFO sets', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctn-fifo-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('makes a fresh 0700 directory with <id>-stdin/-stdout/-stderr FIFOs, no stderr with a terminal', () => {
    const set = newFifoSet(path.join(root, 'a'), 'c1', false);
    expect((fs.statSync(set.dir).mode & 0o777).toString(8)).toBe('700');
    expect(path.dirname(set.dir)).toBe(path.join(root, 'a'));
    expect(fs.readdirSync(set.dir).sort()).toEqual(['c1-stderr', 'c1-stdin', 'c1-stdout']);
    for (const f of [set.stdin, set.stdout, set.stderr]) expect(fs.statSync(f).isFIFO()).toBe(true);
    const tty = newFifoSet(path.join(root, 'a'), 'c2', true);
    expect(tty.stderr).toBe('');
    expect(tty.dir).not.toBe(set.dir);
    expect(fs.readdirSync(tty.dir).sort()).toEqual(['c2-stdin', 'c2-stdout']);
    removeFifoSet(set);
    removeFifoSet(tty);
    expect(fs.readdirSync(path.join(root, 'a'))).toEqual([]);
  });

  it('opens read and write ends without waiting for the other side, and sees the end when the writer closes', async () => {
    const set = newFifoSet(root, 'c3', false);
    const started = Date.now();
    const reader = openReadFifo(set.stdout); // no writer yet: must not block
    const writer = openWriteFifo(set.stdin); // no reader yet: must not block or fail
    expect(Date.now() - started).toBeLessThan(1000);
    // A separate process writes, then closes: the reader gets its data, then 'end'.
    const chunks: Buffer[] = [];
    reader.on('data', (b: Buffer) => chunks.push(b));
    const ended = new Promise((r) => reader.once('end', r));
    await new Promise((r) => setTimeout(r, 200));
    expect(chunks).toEqual([]); // no writer came and went: no premature end
    spawn('sh', ['-c', `printf 'from-shim' > ${set.stdout}`]);
    await ended;
    expect(Buffer.concat(chunks).toString()).toBe('from-shim');
    // What we write into the stdin FIFO comes out at its reader.
    const out = spawn('cat', [set.stdin]);
    let got = '';
    out.stdout.on('data', (b) => (got += b));
    await new Promise((r) => setTimeout(r, 200));
    writer.end('to-process');
    await new Promise((r) => out.on('close', r));
    expect(got).toBe('to-process');
    reader.destroy();
    removeFifoSet(set);
  });

  it('forwards every catchable signal but SIGURG and SIGCHLD', () => {
    const sigs = forwardedSignals();
    expect(sigs).toEqual(expect.arrayContaining(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGTSTP']));
    for (const s of ['SIGURG', 'SIGCHLD', 'SIGKILL', 'SIGSTOP']) expect(sigs).not.toContain(s);
  });
});
