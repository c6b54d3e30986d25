/**
 * FIFO sets as ctr's cio makes them: a fresh 0700 directory under the FIFO
 * root (default /run/containerd/fifo) holding <id>-stdin, <id>-stdout and
 * <id>-stderr, whose paths go to Tasks.Create / Tasks.Exec; the shim opens
 * the other ends.
 *
 * Node has no mkfifo(3), so the FIFOs are made by coreutils' mkfifo(1), one
 * spawn for the whole set. They are opened so that nothing blocks: the read
 * ends O_RDONLY|O_NONBLOCK (a reader never blocks, and libuv sees no event
 * until a writer comes and goes), the stdin end O_RDWR (a FIFO opened for
 * both never waits for the other side, and never fails with ENXIO).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { randomInt } from 'crypto';
import { execFile, spawnSync } from 'child_process';

/** containerd's defaults.DefaultFIFODir. */
export const DEFAULT_FIFO_DIR = '/run/containerd/fifo';

/** The FIFO paths of one process ('' where a stream is not wired). */
export interface FifoSet {
  /** The directory made for this set ('' when the paths came from elsewhere, e.g. attach). */
  dir: string;
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
}

/** Make a FIFO directory and the FIFOs for `id` (no stderr FIFO with a terminal). */
export function newFifoSet(root: string | undefined, id: string, terminal: boolean, want = { stdin: true, stdout: true, stderr: true }): FifoSet {
  const set = fifoPaths(root, id, terminal, want);
  const paths = [set.stdin, set.stdout, set.stderr].filter(Boolean);
  if (paths.length) {
    const r = spawnSync('mkfifo', ['-m', '0700', ...paths], { encoding: 'utf8' });
    if (r.status !== 0) failed(set, r.error?.message ?? r.stderr.trim());
  }
  return set;
}

/** newFifoSet without blocking: mkfifo runs while the caller's RPCs are in flight. */
export async function newFifoSetAsync(root: string | undefined, id: string, terminal: boolean): Promise<FifoSet> {
  const set = fifoPaths(root, id, terminal, { stdin: true, stdout: true, stderr: true });
  const paths = [set.stdin, set.stdout, set.stderr].filter(Boolean);
  await new Promise<void>((resolve, reject) => {
    execFile('mkfifo', ['-m', '0700', ...paths], (err, _out, stderr) => {
      if (!err) return resolve();
      try {
        failed(set, String(stderr).trim() || err.message);
      } catch (e) {
        reject(e);
      }
    });
  });
  return set;
}

function failed(set: FifoSet, why: string): never {
  fs.rmSync(set.dir, { recursive: true, force: true });
  throw new Error(`creating FIFOs in ${set.dir}: ${why}`);
}

// The set's fresh directory and the paths in it (not made yet).
function fifoPaths(root: string | undefined, id: string, terminal: boolean, want: { stdin: boolean; stdout: boolean; stderr: boolean }): FifoSet {
  const base = root || DEFAULT_FIFO_DIR;
  fs.mkdirSync(base, { recursive: true, mode: 0o700 });
  let dir = '';
  // os.MkdirTemp's names: random digits.
  for (let i = 0; !dir; i++) {
    const candidate = path.join(base, String(randomInt(1e9)));
    try {
      fs.mkdirSync(candidate, { mode: 0o700 });
      dir = candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 100) throw e;
    }
  }
  const set: FifoSet = {
    dir,
    stdin: want.stdin ? path.join(dir, `${id}-stdin`) : '',
    stdout: want.stdout ? path.join(dir, `${id}-stdout`) : '',
    stderr: want.stderr && !terminal ? path.join(dir, `${id}-stderr`) : '',
    terminal,
  };
  return set;
}

/** Remove a set's directory (what cio's Close does). */
export function removeFifoSet(set: FifoSet | undefined): void {
  if (set?.dir) fs.rmSync(set.dir, { recursive: true, force: true });
}

/** Open a FIFO we read from, as a stream; 'end' comes when the last writer closes. */
export function openReadFifo(p: string): net.Socket {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: true, writable: false });
}

/** Open a FIFO we write to, as a stream, without waiting for a reader. */
export function openWriteFifo(p: string): net.Socket {
  const fd = fs.openSync(p, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: false, writable: true });
}
