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

/**
 * Listen for Ctrl-C: the first press runs `first`; a second one means nothing
 * gave way, so the handler steps aside and re-raises the signal to end the
 * process as it would have without us. Returns the function that stops listening.
 */
export function onInterrupt(first: () => void): () => void {
  let presses = 0;
  const handler = () => {
    presses++;
    if (presses > 1) {
      process.off('SIGINT', handler);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    first();
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

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
  let lease: string | undefined;
  const stopListening = onInterrupt(() => {
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
  });
  try {
    // Work that finished despite a late Ctrl-C stands.
    return await fn((h) => hooks.push(h));
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    if (active) throw new InterruptedError(what, lease);
    throw err;
  } finally {
    stopListening();
    active = false;
  }
}
