/**
 * ctr's `containers checkpoint` and `tasks checkpoint`: a running task is
 * paused while the parts are gathered (criu's dump through Tasks.Checkpoint,
 * the rw layer through the differ, the image's target), the parts go into an
 * index blob under a temporary lease, and an image record names it; then the
 * task is resumed. A task ctrx did not pause (already paused or stopped) is
 * left as it was, where ctr would pause and resume it regardless.
 *
 * Beyond ctr: `containers checkpoint` also stores the container's spec as the
 * config part when the daemon gave none (no --task), so the checkpoint can be
 * restored (ctr's own checkpoints without --task cannot be: their restore
 * needs that part). When criu fails, the error names criu's own reason, read
 * from the dump log the runtime points to.
 */
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { isAlreadyExists } from '../errdefs';
import { withTempLease } from '../leases/temp-lease';
import { apiToOci, getImage, ociToApi, type Descriptor } from '../images/image';
import { diffSnapshots } from '../snapshots/diff';
import { packAny } from '../typeurl';
import { ANN, MT, encodeAny, hostPlatform, writeIndex, writePart, type CheckpointIndex } from './checkpoint-index';
import { getContainer } from './task';
import { criuReason } from './criu-log';

const TASKS = 'containerd.services.tasks.v1.Tasks' as const;
const RUNC_V2 = 'io.containerd.runc.v2';
const RUNC_V1 = 'io.containerd.runc.v1';
type Container = containerd.services.containers.v1.Container;
type Process = containerd.v1.types.Process;

/** Which parts `containers checkpoint` takes. */
export interface ContainerCheckpointOptions {
  rw: boolean;
  image: boolean;
  task: boolean;
  line: '1.6' | '2';
}

/** Tasks.Get, or undefined when the container has no task. */
async function taskOf(client: Client, id: string): Promise<Process | undefined> {
  try {
    return (await client.unary(TASKS, 'Get', { container_id: id })).process!;
  } catch (err) {
    if ((err as { code?: number }).code === 5) return undefined;
    throw err;
  }
}

/** Run fn with the task paused (if it runs), resuming it after whatever happens. */
async function whilePaused<T>(client: Client, id: string, task: Process | undefined, fn: () => Promise<T>, quiet = false): Promise<T> {
  if (task?.status !== 'RUNNING') return fn();
  await client.unary(TASKS, 'Pause', { container_id: id });
  try {
    return await fn();
  } finally {
    await client.unary(TASKS, 'Resume', { container_id: id }).catch((e) => {
      // After --exit there is no task left to resume.
      if (!quiet) process.stderr.write(`ctrx: error resuming task: ${(e as Error).message}\n`);
    });
  }
}

/** Tasks.Checkpoint, with criu's reason in the error when criu is what failed. */
async function checkpointTask(client: Client, id: string, options: { type_url: string; value: Buffer } | null): Promise<Descriptor[]> {
  try {
    const res = await client.unary(TASKS, 'Checkpoint', { container_id: id, parent_checkpoint: '', options });
    return res.descriptors.map((d) => ({ ...apiToOci(d), platform: hostPlatform() }));
  } catch (err) {
    const reason = criuReason((err as Error).message, 'dump');
    // containerd 1.6 stores the container's spec with each task checkpoint and
    // fails when that blob is already stored (an earlier checkpoint of the same
    // container, by any client); containerd/containerd#8401 fixed it later.
    const hint = isAlreadyExists(err) && /^content sha256:/.test((err as Error).message)
      ? ' (this containerd cannot checkpoint a task whose spec an earlier checkpoint already stored: containerd/containerd#8401)'
      : '';
    throw new Error(`checkpoint task "${id}": ${reason ?? (err as Error).message}${hint}`);
  }
}

/** The rw layer of the container's snapshot against its parent (ctr's rootfs.CreateDiff). */
async function rwLayer(client: Client, c: Container): Promise<Descriptor> {
  if (!c.snapshot_key) throw new Error(`container "${c.id}" has no snapshot to take the rw layer from`);
  const d = await diffSnapshots(client, c.snapshotter, c.snapshot_key, undefined, { mediaType: '', ref: `checkpoint-rw-${c.snapshot_key}` });
  return { ...apiToOci(d), platform: hostPlatform() };
}

async function imageTargetOf(client: Client, c: Container): Promise<Descriptor> {
  if (!c.image) throw new Error('container not created from an image: not found');
  return apiToOci((await getImage(client, c.image)).target!);
}

async function createImage(client: Client, name: string, target: Descriptor, labels: Record<string, string>): Promise<void> {
  try {
    await client.unary('containerd.services.images.v1.Images', 'Create', { image: { name, target: ociToApi(target), labels } });
  } catch (err) {
    if (isAlreadyExists(err)) throw new Error(`image "${name}": already exists`);
    throw err;
  }
}

/** `containers checkpoint CONTAINER REF`. */
export async function checkpointContainer(client: Client, id: string, ref: string, o: ContainerCheckpointOptions): Promise<void> {
  await getContainer(client, id);
  const task = await taskOf(client, id);
  await whilePaused(client, id, task, async () => {
    const c = await getContainer(client, id);
    const imageTarget = await imageTargetOf(client, c);
    await withTempLease(client, async () => {
      const index: CheckpointIndex = { schemaVersion: 2, manifests: [], annotations: { [ANN.imageName]: c.image, [ANN.runtime]: c.runtime!.name, [ANN.snapshotter]: c.snapshotter } };
      const rtOpts = c.runtime?.options;
      // 1.6 keeps options of any kind; 2.x only options with a value.
      if (rtOpts?.type_url && (o.line === '1.6' || rtOpts.value.length)) {
        index.manifests.push({ ...(await writePart(client, MT.runtimeOptions, `${id}-runtime-options`, encodeAny(rtOpts.type_url, rtOpts.value))), platform: hostPlatform() });
      }
      if (o.image) index.manifests.push(imageTarget);
      if (o.rw) index.manifests.push(await rwLayer(client, c));
      if (o.task) {
        const copts = packAny('containerd.runc.v1.CheckpointOptions', { file_locks: true });
        index.manifests.push(...(await checkpointTask(client, id, copts)));
        index.manifests.push({ ...(await writePart(client, MT.options, `${id}-checkpoint-options`, encodeAny(copts.type_url, copts.value))), platform: hostPlatform() });
      }
      if (!index.manifests.some((m) => m.mediaType === MT.config) && c.spec?.type_url) {
        index.manifests.push({ ...(await writePart(client, MT.config, `${id}-config`, encodeAny(c.spec.type_url, Buffer.from(c.spec.value)))), platform: hostPlatform() });
      }
      const desc = await writeIndex(client, index, `${id}index`);
      await createImage(client, ref, desc, {});
    });
  });
}

/** `tasks checkpoint` flags. */
export interface TaskCheckpointOptions {
  exit: boolean;
  imagePath?: string;
  workPath?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** ctr's default name: containerd.io/checkpoint/<id>:<MM-DD-YYYY-HH:MM:SS> (local time). */
export function defaultCheckpointName(id: string, now = new Date()): string {
  const date = `${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${now.getFullYear()}-${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  return `containerd.io/checkpoint/${id}:${date}`;
}

/** `tasks checkpoint CONTAINER`: returns the checkpoint's image name ('' with --image-path). */
export async function checkpointTaskImage(client: Client, id: string, o: TaskCheckpointOptions): Promise<string> {
  await getContainer(client, id);
  const task = await taskOf(client, id);
  if (!task) throw new Error(`no running task found: task ${id} not found: not found`);
  return withTempLease(client, async () => {
    const c = await getContainer(client, id);
    const runc = c.runtime?.name === RUNC_V2 || c.runtime?.name === RUNC_V1;
    const options = runc ? packAny('containerd.runc.v1.CheckpointOptions', { exit: o.exit, image_path: o.imagePath ?? '', work_path: o.workPath ?? '' }) : null;
    const name = defaultCheckpointName(id);
    return whilePaused(client, id, task, async () => {
      const index: CheckpointIndex = { schemaVersion: 2, manifests: await checkpointTask(client, id, options), annotations: {} };
      // With an image path the dump stays in that directory and no image is made.
      if (runc && o.imagePath) return '';
      if (c.image) {
        index.manifests.push(await imageTargetOf(client, c));
        index.annotations['image.name'] = c.image;
      }
      if (c.snapshot_key) index.manifests.push(await rwLayer(client, c));
      const desc = await writeIndex(client, index, id);
      await createImage(client, name, desc, { 'containerd.io/checkpoint': 'true' });
      return name;
    }, true);
  });
}
