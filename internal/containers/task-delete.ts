/**
 * ctr's tasks delete: per container, load the task (its FIFOs recorded for
 * removal), with --force wait + SIGKILL to all first, then Tasks.Delete; a
 * non-zero exit is a warning. With --exec-id: DeleteProcess, and the
 * process's exit code becomes ours.
 */
import type { Client } from '../client/client';
import { ExitError, isFailedPrecondition, isNotFound } from './errors';
import { forEachKeepGoing } from '../util/keep-going';
import { getContainer, getTask, removeLoadedFifos, waitFor } from './task';
import { unpackAny } from '../typeurl';

const TASKS = 'containerd.services.tasks.v1.Tasks' as const;

/**
 * The FIFO paths of a task's exec processes (found through ListPids and
 * Tasks.Get), so that deleting the task removes those of detached execs too,
 * which ctr leaves behind.
 */
async function execFifos(client: Client, id: string): Promise<{ stdin: string; stdout: string; stderr: string }[]> {
  const out: { stdin: string; stdout: string; stderr: string }[] = [];
  try {
    const { processes } = await client.unary(TASKS, 'ListPids', { container_id: id });
    for (const p of processes) {
      const d = p.info?.type_url ? unpackAny(p.info) : undefined;
      const execId = (d?.value as { exec_id?: string } | undefined)?.exec_id;
      if (execId) out.push(await getTask(client, id, execId));
    }
  } catch {
    // A stopped task has no processes to list: nothing extra to clean.
  }
  return out;
}

async function forceStop(client: Client, id: string, execId: string): Promise<void> {
  const ref = { client, containerId: id, execId };
  const exited = waitFor(ref);
  try {
    await client.unary(TASKS, 'Kill', { container_id: id, exec_id: execId, signal: 9, all: !execId });
  } catch (err) {
    if (isFailedPrecondition(err)) return;
    if (!isNotFound(err)) throw err;
  }
  await exited;
}

/** Delete the tasks of `ids` (or one exec process of the first). */
export async function deleteTasks(client: Client, ids: string[], force: boolean, execId: string): Promise<void> {
  if (execId) {
    const id = ids[0];
    await getContainer(client, id);
    const proc = await getTask(client, id, execId);
    if (force) await forceStop(client, id, execId);
    else if (proc.status !== 'STOPPED') throw new Error(`process "${execId}" in task "${id}" must be stopped before deletion: ${proc.status.toLowerCase()}: failed precondition`);
    const r = await client.unary(TASKS, 'DeleteProcess', { container_id: id, exec_id: execId });
    removeLoadedFifos(proc);
    if (r.exit_status !== 0) throw new ExitError(r.exit_status);
    return;
  }
  await forEachKeepGoing(ids, async (id) => {
    await getContainer(client, id);
    const proc = await getTask(client, id);
    const execs = force ? await execFifos(client, id) : [];
    if (force) await forceStop(client, id, '');
    else if (proc.status !== 'STOPPED' && proc.status !== 'UNKNOWN') {
      throw new Error(`unable to delete task "${id}": task must be stopped before deletion: ${proc.status.toLowerCase()}: failed precondition`);
    }
    const r = await client.unary(TASKS, 'Delete', { container_id: id });
    for (const p of [proc, ...execs]) removeLoadedFifos(p);
    if (r.exit_status !== 0) process.stderr.write(`ctrx: warning: task ${id} exit with non-zero exit code ${r.exit_status}\n`);
  });
}
