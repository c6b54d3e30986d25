/**
 * ctr's tasks attach: the FIFO paths come from Tasks.Get, ctrx opens them
 * again, waits for the exit (forwarding signals or window sizes), then
 * deletes the task and its FIFOs and passes the exit code on.
 */
import type { Client } from '../client/client';
import { ProcessIO } from '../stdio/io';
import { currentConsole, type Console } from '../stdio/tty';
import { containerSpec, deleteTask, exitWith, getContainer, getTask, removeLoadedFifos, stayAttached, waitFor } from './task';

/** Attach to container id's task until it exits. */
export async function attachTask(client: Client, id: string): Promise<void> {
  const container = await getContainer(client, id);
  const tty = !!containerSpec(container).process?.terminal;
  const con: Console | undefined = tty ? currentConsole() : undefined;
  const proc = await getTask(client, id);
  let io: ProcessIO | undefined;
  try {
    con?.setRaw();
    io = new ProcessIO(
      { dir: '', stdin: proc.stdin, stdout: proc.stdout, stderr: proc.stderr, terminal: proc.terminal },
      con ? { stdin: con.input, stdout: process.stdout } : { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    );
    const ref = { client, containerId: id, execId: '' };
    // ctr's attach has no stdin closer: end of our input does not end the task's.
    const code = await stayAttached(ref, io, con, waitFor(ref), false);
    await deleteTask(client, id, io);
    removeLoadedFifos(proc);
    exitWith(code);
  } finally {
    con?.reset();
    io?.close();
  }
}
