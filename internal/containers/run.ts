/**
 * ctr's `run` (and `tasks start`): create the task with its IO, Tasks.Wait
 * before Tasks.Start, then stay attached until the exit and pass the exit code
 * on. Unlike ctr, a run whose task cannot be created or started leaves
 * nothing behind: no task, no FIFOs, and (for run) no container or snapshot.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { isAlreadyExists, isNotFound } from '../errdefs';
import type { Console } from '../stdio/tty';
import { newFifoSetAsync } from '../stdio/fifo';
import { closeIO, deleteTask, forwardSignalsEarly, prepareIO, rootfsMounts, stayAttached, taskOptions, waitFor, type EarlyForwarder, type PreparedIO, usesFifos } from './task';
import { deleteContainer, removeStoppedContainer } from './delete';
import { attachTask, detachContainer, type Cni } from '../cni/container';

const TASKS = 'containerd.services.tasks.v1.Tasks' as const;
type Container = containerd.services.containers.v1.Container;

/** What `run` and `tasks start` share. */
export interface StartOptions {
  detach: boolean;
  nullIO?: boolean;
  logURI?: string;
  fifoDir?: string;
  pidFile?: string;
  noPivot?: boolean;
  console?: Console;
  /** A terminal (with detach there is no local console to wire). */
  tty: boolean;
  line: '1.6' | '2';
  /** run: remove the container (and snapshot) when the task ends or fails to start. */
  removeContainer?: 'on-failure' | 'always';
  /** restore --live: the criu dump the task is restored from. */
  checkpoint?: containerd.types.Descriptor;
  /** run --cni: the network the task joins before it starts (left joined when detached). */
  cni?: Cni;
}

/** ctr's writePidFile: written beside the target and renamed into place. */
export function writePidFile(file: string, pid: number): void {
  const abs = path.resolve(file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}`);
  const fd = fs.openSync(tmp, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_SYNC, 0o666);
  try {
    fs.writeSync(fd, String(pid));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, abs);
}

/** Create and start the container's task; unless detached, wait for it and return its exit code. */
export async function startTask(client: Client, container: Container, o: StartOptions): Promise<number> {
  const id = container.id;
  let pio: PreparedIO | undefined;
  let created = false;
  let started = false;
  let early: EarlyForwarder | undefined;
  let taskGone = false;
  // Attached to the CNI network: removed again unless the task is left running detached.
  let networked = false;
  const leaveNetwork = () => {
    networked = false;
    return detachContainer(o.cni!, client.namespace, id);
  };
  try {
    if (o.console) o.console.setRaw();
    const choice = { terminal: o.tty, nullIO: o.nullIO, logURI: o.logURI, fifoDir: o.fifoDir, detach: o.detach, console: o.console };
    // The FIFOs are made while Snapshots.Mounts is in flight.
    const fifosP = usesFifos(choice) && !(o.tty && o.nullIO) ? newFifoSetAsync(o.fifoDir, id, o.tty) : undefined;
    const [made, rootfs] = await Promise.allSettled([fifosP, rootfsMounts(client, container)]);
    if (made.status === 'rejected') throw made.reason;
    pio = prepareIO(id, choice, made.value);
    if (rootfs.status === 'rejected') throw rootfs.reason;
    const options = taskOptions(container, !!o.noPivot, o.line);
    let pid = 0;
    try {
      pid = (await client.unary(TASKS, 'Create', { container_id: id, rootfs: rootfs.value, stdin: pio.stdin, stdout: pio.stdout, stderr: pio.stderr, terminal: pio.terminal, checkpoint: o.checkpoint ?? null, options: options ?? null })).pid;
    } catch (err) {
      if (isAlreadyExists(err)) throw new Error(`task for container "${id}": already exists (a task is already running)`);
      throw err;
    }
    created = true;
    const ref = { client, containerId: id, execId: '' };
    if (o.cni) {
      await attachTask(o.cni, client.namespace, id, pid);
      networked = true;
    }
    // Still before Start (no exit is missed), but after the network: a failed CNI ADD deletes a task nobody waits on.
    const exit = o.detach ? undefined : waitFor(ref);
    if (o.pidFile) writePidFile(o.pidFile, pid);
    early = o.detach ? undefined : forwardSignalsEarly(ref, o.console);
    await client.unary(TASKS, 'Start', { container_id: id });
    started = true;
    if (o.detach) {
      // The FIFOs stay for a later attach; only our ends close.
      pio.io?.release();
      return 0;
    }
    const code = await stayAttached(ref, pio.io, o.console, exit!, true, early);
    // As ctr: the network goes before the task; a failure is reported, not fatal.
    if (networked) await leaveNetwork().catch((e) => process.stderr.write(`ctrx: ${(e as Error).message}\n`));
    await deleteTask(client, id, pio.io);
    taskGone = true;
    return code;
  } catch (err) {
    if (networked) await leaveNetwork().catch(() => undefined);
    if (created && !started) await client.unary(TASKS, 'Delete', { container_id: id }).catch(() => undefined);
    if (o.removeContainer) await deleteContainer(client, container.id, false).catch(() => undefined);
    throw err;
  } finally {
    early?.stop();
    o.console?.reset();
    if (!o.detach || !started) closeIO(pio);
    if (started && o.removeContainer === 'always' && !o.detach) {
      // With the task deleted here, the container goes without looking it up again.
      const remove = taskGone ? removeStoppedContainer(client, container) : deleteContainer(client, container.id, false);
      await remove.catch((e) => {
        if (!isNotFound(e)) process.stderr.write(`ctrx: ${(e as Error).message}\n`);
      });
    }
  }
}
