/**
 * Ctrl-C during long writes (pull, import, export, content ingest): the first
 * SIGINT cancels the command's in-flight calls and its input, the temporary
 * lease is kept (it expires, and a re-run resumes the partial ingests it
 * holds), and the command ends with one line and exit code 130 (128+SIGINT,
 * as a shell reports it). A second SIGINT ends the process at once.
 */
import type { Client } from '../client/client';
import { ExitError } from '../errdefs';

let active = false;

/** True once the running command has been interrupted (temporary leases are then kept). */
export function interrupted(): boolean {
  return active;
}

/** The error an interrupted command ends with. */
export class InterruptedError extends ExitError {
  constructor(what: string, lease?: string) {
    const kept = lease ? `; the partial work is held by lease ${lease} until it expires, run the command again to resume` : '';
    super(130, `${what}: interrupted${kept}`);
  }
}

/**
 * Run fn so that Ctrl-C stops it cleanly. `abort` hooks (destroying an input
 * stream, closing a transfer stream) run with the client's cancelAll.
 */
export async function interruptible<T>(
  client: Client,
  what: string,
  fn: (onAbort: (hook: () => void) => void) => Promise<T>,
  opts: { keepClient?: boolean } = {},
): Promise<T> {
  const hooks: (() => void)[] = [];
  let presses = 0;
  let lease: string | undefined;
  const onInt = () => {
    presses++;
    if (presses > 1) {
      // Something did not give way: let the signal end the process.
      process.off('SIGINT', onInt);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    active = true;
    lease = client.lease;
    for (const h of hooks) {
      try {
        h();
      } catch {
        // best effort
      }
    }
    client.cancelAll();
    // Calls queued behind the cancelled ones (the next blob of a pull) must not start.
    if (!opts.keepClient) client.close();
  };
  process.on('SIGINT', onInt);
  try {
    // Work that finished despite a late Ctrl-C stands.
    return await fn((h) => hooks.push(h));
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    if (active) throw new InterruptedError(what, lease);
    throw err;
  } finally {
    process.off('SIGINT', onInt);
    active = false;
  }
}
