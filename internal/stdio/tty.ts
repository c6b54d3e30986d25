/**
 * The local terminal for -t: raw mode while attached (restored on the way
 * out, whatever happens), and the window size sent with Tasks.ResizePty at
 * start and on every change.
 */
import type { ReadStream, WriteStream } from 'tty';
import { spawnSync } from 'child_process';
import { UsageError } from '../errdefs';

/** ctr's console.Current, for what ctrx needs of it. */
export interface Console {
  input: ReadStream;
  size(): { width: number; height: number };
  onResize(fn: () => void): () => void;
  setRaw(): void;
  reset(): void;
}

/** The terminal on stdin (and stdout or stderr for its size); a clear error if there is none. */
export function currentConsole(): Console {
  const input = process.stdin as ReadStream;
  if (!input.isTTY) throw new UsageError('--tty needs a terminal, but stdin is not one');
  const out = [process.stdout, process.stderr].find((s) => (s as WriteStream).isTTY) as WriteStream | undefined;
  let raw = false;
  return {
    input,
    size() {
      if (!out) return { width: 0, height: 0 };
      const [width, height] = out.getWindowSize();
      return { width, height };
    },
    onResize(fn) {
      if (out) {
        out.on('resize', fn);
        return () => out.off('resize', fn);
      }
      process.on('SIGWINCH', fn);
      return () => process.off('SIGWINCH', fn);
    },
    setRaw() {
      input.setRawMode(true);
      raw = true;
      // libuv's raw mode keeps output post-processing (\n -> \r\n) that Go's
      // cfmakeraw turns off; the task's pty already sends \r\n. Node has no
      // termios call, so stty(1) clears it; setRawMode(false) restores the
      // terminal's original settings, OPOST included.
      spawnSync('stty', ['-opost'], { stdio: [(input as unknown as { fd: number }).fd ?? 0, 'ignore', 'ignore'] });
    },
    reset() {
      if (raw) input.setRawMode(false);
      raw = false;
    },
  };
}
