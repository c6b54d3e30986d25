/** Go's net/http/pprof over a unix socket: one GET, the body streamed to stdout as it comes. */
import * as http from 'http';

/**
 * GET `urlPath` from the HTTP server on unix socket `socket`, writing the body
 * to `sink` (stdout). A server that sends no response headers within
 * `answerMs` is given up on (ctr would wait forever).
 */
export function pprofGet(socket: string, urlPath: string, answerMs: number, sink: NodeJS.WritableStream = process.stdout): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer from the debug server at ${socket} within ${Math.round(answerMs / 1000)}s`));
    }, answerMs);
    const req = http.get({ socketPath: socket, path: urlPath, host: '.', headers: { 'User-Agent': 'ctrx' } }, (res) => {
      clearTimeout(timer);
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`http get failed with status: ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      // A reader that goes away (| head) ends the copy quietly.
      sink.once('error', (err: NodeJS.ErrnoException) => {
        req.destroy();
        if (err.code === 'EPIPE') resolve();
        else reject(err);
      });
      res.on('data', (chunk: Buffer) => {
        if (!sink.write(chunk)) {
          res.pause();
          sink.once('drain', () => res.resume());
        }
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'ECONNREFUSED' ? 'connection refused' : err.message;
      reject(new Error(`cannot reach the debug server at ${socket}: ${why}`));
    });
  });
}

/** The query of a profile that runs for a while: seconds as Go's %v of a float ("30", "1.5"). */
export function secondsQuery(ms: number): string {
  return String(ms / 1000);
}
