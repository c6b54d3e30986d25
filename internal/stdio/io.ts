/**
 * Copying between ctrx's own stdio and a process's FIFOs, as ctr's cio
 * copyIO does: stdin into the stdin FIFO (closing it at end of input, then
 * telling the task with Tasks.CloseIO), the stdout and stderr FIFOs out to
 * ctrx's stdout and stderr, kept apart. wait() resolves once the shim has
 * closed its ends and every byte has been copied.
 */
import type { Readable, Writable } from 'stream';
import type { Socket } from 'net';
import { FifoSet, openReadFifo, openWriteFifo, removeFifoSet } from './fifo';

/** Where a process's streams go on our side. */
export interface Streams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/** The live copy between our streams and a FIFO set. */
export class ProcessIO {
  private readonly sockets: Socket[] = [];
  private readonly outputs: Promise<void>[] = [];
  private stdinSock?: Socket;
  private stdinSource?: Readable;
  private stdinEnded = false;
  private onStdinEOF?: () => void;

  constructor(
    readonly fifos: FifoSet,
    streams: Streams,
  ) {
    // Readers first: the shim opens its write ends when the task is created.
    if (fifos.stdout && streams.stdout) this.copyOut(fifos.stdout, streams.stdout);
    if (fifos.stderr && streams.stderr) this.copyOut(fifos.stderr, streams.stderr);
    if (fifos.stdin && streams.stdin) {
      this.stdinSock = openWriteFifo(fifos.stdin);
      this.sockets.push(this.stdinSock);
      this.stdinSock.on('error', () => undefined); // the shim went away: nothing left to feed
      this.stdinSource = streams.stdin;
    }
  }

  private copyOut(fifo: string, to: Writable): void {
    const sock = openReadFifo(fifo);
    this.sockets.push(sock);
    this.outputs.push(
      new Promise<void>((resolve) => {
        sock.on('data', (chunk: Buffer) => {
          if (!to.write(chunk)) {
            sock.pause();
            to.once('drain', () => sock.resume());
          }
        });
        sock.once('end', resolve);
        sock.once('close', resolve);
        sock.once('error', () => resolve());
      }),
    );
  }

  /**
   * Start feeding stdin; at its end the FIFO is closed and onEOF runs (the
   * caller sends Tasks.CloseIO), so the process sees end of input after
   * every byte.
   */
  startStdin(onEOF?: () => void): void {
    const src = this.stdinSource;
    const sock = this.stdinSock;
    if (!src || !sock) return;
    this.onStdinEOF = onEOF;
    const finish = () => {
      if (this.stdinEnded) return;
      this.stdinEnded = true;
      sock.end(() => this.onStdinEOF?.());
    };
    src.on('data', (chunk: Buffer) => {
      if (!sock.write(chunk)) {
        src.pause();
        sock.once('drain', () => src.resume());
      }
    });
    src.once('end', finish);
    src.once('error', finish);
  }

  /** Resolves when stdout and stderr have reached end of file. */
  async wait(): Promise<void> {
    await Promise.all(this.outputs);
  }

  /** Close our FIFO ends but keep the FIFOs (detach: a later attach reopens them). */
  release(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Stop copying: close our FIFO ends, stop reading stdin, remove the FIFO directory. */
  close(): void {
    for (const s of this.sockets) s.destroy();
    if (this.stdinSource) {
      this.stdinSource.removeAllListeners('data');
      this.stdinSource.pause();
      // A pipe or terminal on fd 0 would keep the process alive.
      (this.stdinSource as Readable & { destroy?: () => void }).destroy?.();
    }
    removeFifoSet(this.fifos);
  }
}
