/**
 * ctr's tasks attach: the FIFO paths come from Tasks.Get, ctrx opens them
 * again, waits for the exit (forwarding signals or window sizes), then
 * deletes the task and its FIFOs and passes the exit code on. With detach
 * keys, typing them leaves instead: our FIFO ends close, the task and its
 * FIFOs stay, and a later attach picks them up again.
 */
import type { Readable } from 'stream';
import type { Client } from '../client/client';
import { ProcessIO } from '../stdio/io';
import { currentConsole, type Console } from '../stdio/tty';
import { DetachFilter } from '../stdio/detach-keys';
import { containerSpec, deleteTask, exitWith, getContainer, getTask, removeLoadedFifos, stayAttached, waitFor } from './task';

const DETACHED = Symbol('detached');

/** Attach to container id's task until it exits (or the detach keys are typed). */
export async function attachTask(client: Client, id: string, o: { detachKeys?: Buffer } = {}): Promise<void> {
  const container = await getContainer(client, id);
  const tty = !!containerSpec(container).process?.terminal;
  const con: Console | undefined = tty ? currentConsole() : undefined;
  const proc = await getTask(client, id);
  const input: Readable = con ? con.input : process.stdin;
  let filter: DetachFilter | undefined;
  let detached: Promise<typeof DETACHED> | undefined;
  if (o.detachKeys) {
    const f = new DetachFilter(o.detachKeys);
    detached = new Promise((resolve) => f.once('detach', () => resolve(DETACHED)));
    input.pipe(f);
    filter = f;
  }
  let io: ProcessIO | undefined;
  let left = false;
  try {
    con?.setRaw();
    const stdin = filter ?? input;
    io = new ProcessIO(
      { dir: '', stdin: proc.stdin, stdout: proc.stdout, stderr: proc.stderr, terminal: proc.terminal },
      con ? { stdin, stdout: process.stdout } : { stdin, stdout: process.stdout, stderr: process.stderr },
    );
    const ref = { client, containerId: id, execId: '' };
    const exit = waitFor(ref, () => left);
    // ctr's attach has no stdin closer: end of our input does not end the task's.
    const outcome = await stayAttached(ref, io, con, detached ? Promise.race([exit, detached]) : exit, false);
    if (outcome === DETACHED) {
      left = true;
      // Nobody waits for the exit any more: the pending Tasks.Wait would keep the process alive.
      client.cancelAll();
      return;
    }
    const code = outcome as number;
    await deleteTask(client, id, io);
    removeLoadedFifos(proc);
    exitWith(code);
  } finally {
    con?.reset();
    if (filter) {
      input.unpipe(filter);
      input.pause();
      (input as Readable & { destroy?: () => void }).destroy?.();
    }
    if (left) io?.release();
    else io?.close();
    if (left) process.stderr.write(`ctrx: detached from task "${id}", which keeps running (ctrx tasks attach ${id} returns to it)\n`);
  }
}
