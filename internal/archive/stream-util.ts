/** Small stream helpers for moving bytes with backpressure. */
import type { Writable } from 'stream';

/** Write a chunk and wait for 'drain' if the stream's buffer is full (or fail on its error). */
export function writeWithBackpressure(stream: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    stream.once('error', onError);
    const ok = stream.write(chunk, (err) => {
      if (err) reject(err);
    });
    if (ok) {
      stream.off('error', onError);
      resolve();
    } else {
      stream.once('drain', () => {
        stream.off('error', onError);
        resolve();
      });
    }
  });
}

/** Wait until everything written to the stream has been flushed. */
export function endStream(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/** yargs turns a lone "-" positional into ""; give it back (only when "-" was really on the command line). */
export function dashArg(value: string | undefined): string | undefined {
  if (value === '' && process.argv.includes('-')) return '-';
  return value;
}
