/**
 * Tasks as ctr drives them: creating one with its IO (FIFOs, --null-io,
 * --log-uri, a terminal), waiting before starting, staying attached
 * (signals or window sizes forwarded, stdin closed with CloseIO at its end),
 * and deleting it after the exit with the IO drained first.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { ExitError, isNotFound, RpcError } from '../errdefs';
import { packAny, unpackAny } from '../typeurl';
import { newFifoSet, removeFifoSet, type FifoSet } from '../stdio/fifo';
import { ProcessIO } from '../stdio/io';
import type { Console } from '../stdio/tty';
import { forwardAllSignals } from '../stdio/signals';

const TASKS = 'containerd.services.tasks.v1.Tasks' as const;
const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
type Container = containerd.services.containers.v1.Container;
type Process = containerd.v1.types.Process;

/** How a process's stdio is wired. */
export interface IOChoice {
  terminal: boolean;
  nullIO?: boolean;
  logURI?: string;
  fifoDir?: string;
  /** With detach, the FIFOs are held open only until the task has started, then left for a later attach. */
  detach?: boolean;
  console?: Console;
}

/** The stdio paths for Create/Exec, and the live copy when attached. */
export interface PreparedIO {
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  io?: ProcessIO;
  fifos?: FifoSet;
}

/** Whether the choice wires FIFOs (not --null-io, not a --log-uri without a terminal). */
export const usesFifos = (c: IOChoice) => !c.nullIO && !(c.logURI && !c.terminal);

/** Make the IO for process `id` (container ID or exec ID), as ctr's tasks.NewTask chooses it; `made` are FIFOs made beforehand. */
export function prepareIO(id: string, c: IOChoice, made?: FifoSet): PreparedIO {
  if (c.terminal && c.nullIO) throw new Error('tty and null-io cannot be used together');
  if (c.nullIO) return { stdin: '', stdout: '', stderr: '', terminal: false };
  if (c.logURI && !c.terminal) return { stdin: '', stdout: c.logURI, stderr: c.logURI, terminal: false };
  const fifos = made ?? newFifoSet(c.fifoDir, id, c.terminal);
  const base = { stdin: fifos.stdin, stdout: fifos.stdout, stderr: fifos.stderr, terminal: c.terminal, fifos };
  try {
    // The shim opens the output FIFOs for writing when the task is made, and gives up without a reader.
    const streams = c.detach ? { stdout: process.stdout, stderr: process.stderr } : c.terminal ? { stdin: c.console!.input, stdout: process.stdout } : { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
    const io = new ProcessIO(fifos, streams);
    return { ...base, io };
  } catch (err) {
    removeFifoSet(fifos);
    throw err;
  }
}

/** Release what prepareIO made (copy streams and FIFO directory). */
export function closeIO(p: PreparedIO | undefined): void {
  if (!p) return;
  if (p.io) p.io.close();
  else removeFifoSet(p.fifos);
}

/** ctr's cio.Load closer: remove a loaded task's FIFOs and their directory if it is left empty. */
export function removeLoadedFifos(proc: { stdin: string; stdout: string; stderr: string }): void {
  const dirs = new Set<string>();
  for (const f of [proc.stdin, proc.stdout, proc.stderr]) {
    if (!f || !f.startsWith('/')) continue;
    try {
      if (!fs.lstatSync(f).isFIFO()) continue;
      fs.unlinkSync(f);
      dirs.add(path.dirname(f));
    } catch {
      // Gone already.
    }
  }
  for (const d of dirs) {
    try {
      fs.rmdirSync(d);
    } catch {
      // Not empty or gone: left as ctr leaves it.
    }
  }
}

/** Task options ctr sends: runc's Options with NoPivotRoot (2.x keeps the container's runc options). */
export function taskOptions(container: Container, noPivot: boolean, line: '1.6' | '2') {
  if (!noPivot) return undefined;
  let base: Record<string, unknown> = {};
  if (line === '2' && container.runtime?.options?.type_url) {
    const d = unpackAny(container.runtime.options);
    if (d?.proto && d.typeName === 'containerd.runc.v1.Options') base = d.value as Record<string, unknown>;
  }
  return packAny('containerd.runc.v1.Options', { ...base, no_pivot_root: true });
}

/** The rootfs mounts for Tasks.Create (Snapshots.Mounts of the container's snapshot, with the spec's mount label). */
export async function rootfsMounts(client: Client, container: Container) {
  if (!container.snapshot_key) return [];
  if (!container.snapshotter) throw new Error('unable to resolve rootfs mounts without snapshotter on container: invalid argument');
  const { mounts } = await client.unary(SNAP, 'Mounts', { snapshotter: container.snapshotter, key: container.snapshot_key });
  const label = mountLabel(container);
  return label ? mounts.map((m) => ({ ...m, options: [...m.options, `context="${label}"`] })) : mounts;
}

function mountLabel(container: Container): string {
  try {
    const spec = JSON.parse(Buffer.from(container.spec?.value ?? []).toString('utf8'));
    return spec?.linux?.mountLabel ?? '';
  } catch {
    return '';
  }
}

/** The container's stored OCI spec. */
export function containerSpec(container: Container): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw = Buffer.from(container.spec?.value ?? []).toString('utf8');
  return raw ? JSON.parse(raw) : {};
}

/** Containers.Get with ctr's not-found wording. */
export async function getContainer(client: Client, id: string): Promise<Container> {
  try {
    return (await client.unary('containerd.services.containers.v1.Containers', 'Get', { id })).container!;
  } catch (err) {
    if (isNotFound(err)) throw new Error(`container "${id}" in namespace "${client.namespace}": not found`);
    throw err;
  }
}

/** Tasks.Get; a missing task gives `no running task found: task <id> not found: not found`. */
export async function getTask(client: Client, id: string, execId = ''): Promise<Process> {
  try {
    return (await client.unary(TASKS, 'Get', { container_id: id, exec_id: execId })).process!;
  } catch (err) {
    if (isNotFound(err)) throw new Error(execId ? `no process "${execId}" in task "${id}": not found` : `no running task found: task ${id} not found: not found`);
    throw err;
  }
}

/** A process to drive: the init process (execId '') or an exec. */
export interface ProcRef {
  client: Client;
  containerId: string;
  execId: string;
}

/** Tasks.Wait, started now (before Start) and resolved with the exit code (255 if the wait failed). */
export function waitFor(p: ProcRef, stoppedWaiting: () => boolean = () => false): Promise<number> {
  return p.client
    .unary(TASKS, 'Wait', { container_id: p.containerId, exec_id: p.execId }, { noDeadline: true })
    .then((r) => r.exit_status)
    .catch((err) => {
      // A wait the caller called off (a detach) is no failure.
      if (!stoppedWaiting()) process.stderr.write(`ctrx: wait for ${p.execId || p.containerId}: ${(err as Error).message}\n`);
      return 255;
    });
}

/** Tasks.Kill. */
export function kill(p: ProcRef, signal: number, all = false) {
  return p.client.unary(TASKS, 'Kill', { container_id: p.containerId, exec_id: p.execId, signal, all });
}

/** Signal forwarding taken up before Tasks.Start, so no signal slips past; signals wait until open(). */
export interface EarlyForwarder {
  open(): void;
  stop(): void;
}

/** Catch signals from now on (without a terminal), forwarding them once open() is called. */
export function forwardSignalsEarly(p: ProcRef, con: Console | undefined): EarlyForwarder | undefined {
  if (con) return undefined;
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const stop = forwardAllSignals(async (signo) => {
    await gate;
    return kill(p, signo);
  });
  return { open, stop };
}

/**
 * The attached part of run / start / attach / exec: forward window sizes (tty)
 * or signals, feed stdin (CloseIO at its end), wait for the exit, drain the
 * output; returns the exit code.
 */
export async function stayAttached<T = number>(p: ProcRef, io: ProcessIO | undefined, con: Console | undefined, exit: Promise<T>, closeStdin = true, early?: EarlyForwarder): Promise<T> {
  let stopForwarding = () => undefined as void;
  if (early) {
    early.open();
    stopForwarding = early.stop;
  } else if (con) {
    const resize = () => {
      const { width, height } = con.size();
      p.client.unary(TASKS, 'ResizePty', { container_id: p.containerId, exec_id: p.execId, width, height }).catch(() => undefined);
    };
    resize();
    stopForwarding = con.onResize(resize);
  } else {
    stopForwarding = forwardAllSignals((signo) => kill(p, signo));
  }
  io?.startStdin(
    closeStdin
      ? () => {
          p.client.unary(TASKS, 'CloseIO', { container_id: p.containerId, exec_id: p.execId, stdin: true }).catch(() => undefined);
        }
      : undefined,
  );
  try {
    return await exit;
  } finally {
    stopForwarding();
  }
}

/** Delete the init task after its exit: Tasks.Get (must be stopped), drain IO, Tasks.Delete. */
export async function deleteTask(client: Client, id: string, io?: ProcessIO): Promise<number> {
  const t = await getTask(client, id);
  if (t.status !== 'STOPPED' && t.status !== 'UNKNOWN') {
    throw new RpcError(9, `task must be stopped before deletion: ${t.status.toLowerCase()}`, '/containerd.services.tasks.v1.Tasks/Get');
  }
  if (io) await io.wait();
  const r = await client.unary(TASKS, 'Delete', { container_id: id });
  return r.exit_status;
}

/** A non-zero code as ctr's exit (the process's own code; 128+n after a signal, as the shim reports it). */
export function exitWith(code: number): void {
  if (code !== 0) throw new ExitError(code);
}
