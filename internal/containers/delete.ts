/**
 * ctr's container delete: a stopped (or only created) task is deleted first
 * (its FIFOs removed), a running one refuses; then the snapshot (unless kept)
 * and the record go.
 */
import type { Client } from '../client/client';
import { isNotFound } from '../errdefs';
import { getContainer, removeLoadedFifos } from './task';

const TASKS = 'containerd.services.tasks.v1.Tasks' as const;

/** Delete container `id`, its stopped task and (unless keepSnapshot) its snapshot. */
export async function deleteContainer(client: Client, id: string, keepSnapshot: boolean): Promise<void> {
  const container = await getContainer(client, id);
  let task;
  try {
    task = (await client.unary(TASKS, 'Get', { container_id: id })).process!;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (task) {
    if (task.status !== 'STOPPED' && task.status !== 'CREATED') {
      throw new Error(`cannot delete a non stopped container "${id}": its task is ${task.status.toLowerCase()}: failed precondition`);
    }
    await client.unary(TASKS, 'Delete', { container_id: id });
    removeLoadedFifos(task);
  }
  if (!keepSnapshot && container.snapshot_key && container.snapshotter) {
    await client
      .unary('containerd.services.snapshots.v1.Snapshots', 'Remove', { snapshotter: container.snapshotter, key: container.snapshot_key })
      .catch((err) => {
        if (!isNotFound(err)) throw err;
      });
  }
  await client.unary('containerd.services.containers.v1.Containers', 'Delete', { id });
}

/**
 * Remove a container whose task is known to be gone (run --rm after deleting
 * it): the snapshot and the record, without looking the task up again.
 */
export async function removeStoppedContainer(client: Client, container: { id: string; snapshotter: string; snapshot_key: string }): Promise<void> {
  if (container.snapshot_key && container.snapshotter) {
    await client
      .unary('containerd.services.snapshots.v1.Snapshots', 'Remove', { snapshotter: container.snapshotter, key: container.snapshot_key })
      .catch((err) => {
        if (!isNotFound(err)) throw err;
      });
  }
  await client.unary('containerd.services.containers.v1.Containers', 'Delete', { id: container.id });
}
