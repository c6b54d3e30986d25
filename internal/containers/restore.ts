/**
 * ctr's `containers restore`: a new container from a checkpoint image (a
 * snapshot on the checkpointed image, the spec and runtime stored in the
 * checkpoint, with --rw its rw layer applied on top), then its task created
 * (from criu's dump with --live) and started. As in ctr, a task without a
 * terminal is left running; with one, ctrx stays attached and passes the exit
 * code on. Unlike ctr, the checkpoint is checked before anything is made, and
 * a failed restore leaves no container or snapshot behind.
 */
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { isAlreadyExists, isNotFound } from '../errdefs';
import { withTempLease } from '../leases/temp-lease';
import { getImage, imageTarget, ociToApi, resolveManifest, type Descriptor } from '../images/image';
import { readAll } from '../content/store';
import { chainID } from '../unpack/unpack';
import { ANN, MT, decodeAny, partOf, readIndex } from './checkpoint-index';
import type { Console } from '../stdio/tty';
import { startTask } from './run';
import { criuReason } from './criu-log';

const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
type Container = containerd.services.containers.v1.Container;

/** restore's flags and what the command line decided about the terminal. */
export interface RestoreOptions {
  rw: boolean;
  live: boolean;
  line: '1.6' | '2';
  /** The local console, asked for when the restored spec wants a terminal. */
  console: () => Console;
  /**
   * Fetch a checkpoint that is not in the image store from its registry (as
   * ctr's restore does); returns the name the image was stored under.
   */
  fetch?: () => Promise<string>;
}

/** What restore needs from the checkpoint, checked up front. */
interface Plan {
  imageName: string;
  snapshotter: string;
  runtime: string;
  config: Descriptor;
  runtimeOptions?: Descriptor;
  rw?: Descriptor;
  criu?: Descriptor;
}

function plan(ref: string, target: Descriptor, index: Awaited<ReturnType<typeof readIndex>>, o: RestoreOptions): Plan {
  const bad = (why: string) => new Error(`checkpoint "${ref}": ${why}`);
  const imageName = index.annotations[ANN.imageName];
  if (!imageName) throw bad('image name not found in index');
  const snapshotter = index.annotations[ANN.snapshotter];
  if (snapshotter === undefined) throw bad('snapshotter not found in index');
  const runtime = index.annotations[ANN.runtime];
  if (runtime === undefined) throw bad('runtime not found in index');
  const config = partOf(index, MT.config);
  if (!config) throw bad(`no container config (${MT.config}) in it: media type not found (ctr stores one only with --task)`);
  const rw = o.rw ? partOf(index, MT.rwLayer) : undefined;
  if (o.rw && !rw) throw bad(`no rw layer (${MT.rwLayer}) in it: media type not found (checkpoint it with --rw)`);
  const criu = o.live ? partOf(index, MT.criu) : undefined;
  if (o.live && !criu) throw bad(`checkpoint not found in index ${target.digest} (checkpoint it with --task)`);
  return { imageName, snapshotter, runtime, config, runtimeOptions: partOf(index, MT.runtimeOptions), rw, criu };
}

async function containerExists(client: Client, id: string): Promise<boolean> {
  return client.unary('containerd.services.containers.v1.Containers', 'Get', { id }).then(() => true, () => false);
}

/** Make the container as client.Restore does: Prepare, spec, runtime, rw layer, Containers.Create. */
async function restoreContainer(client: Client, id: string, p: Plan, spec: { type_url: string; value: Buffer }): Promise<Container> {
  const image = await getImage(client, p.imageName);
  const { config } = await resolveManifest(client, image);
  // Without the part, ctr stores an empty Any (not none).
  const runtimeOptions = p.runtimeOptions ? decodeAny(await readAll(client, p.runtimeOptions.digest)) : { type_url: '', value: Buffer.alloc(0) };
  try {
    await client.unary(SNAP, 'Prepare', { snapshotter: p.snapshotter, key: id, parent: chainID(config.rootfs?.diff_ids ?? []) });
  } catch (err) {
    if (isAlreadyExists(err) && (await containerExists(client, id))) throw new Error(`container "${id}": already exists`);
    throw err;
  }
  try {
    if (p.rw) {
      const { mounts } = await client.unary(SNAP, 'Mounts', { snapshotter: p.snapshotter, key: id });
      await client.unary('containerd.services.diff.v1.Diff', 'Apply', { diff: ociToApi(p.rw), mounts });
    }
    const res = await client.unary('containerd.services.containers.v1.Containers', 'Create', {
      container: { id, image: image.name, snapshotter: p.snapshotter, snapshot_key: id, spec, runtime: { name: p.runtime, options: runtimeOptions } },
    });
    return res.container!;
  } catch (err) {
    await client.unary(SNAP, 'Remove', { snapshotter: p.snapshotter, key: id }).catch(() => undefined);
    if (isAlreadyExists(err)) throw new Error(`container "${id}": already exists`);
    throw err;
  }
}

/** The checkpoint image: the stored one, else the one fetched from its registry. */
async function localOrFetched(client: Client, ref: string, fetch: RestoreOptions['fetch']) {
  try {
    return (await client.unary('containerd.services.images.v1.Images', 'Get', { name: ref })).image!;
  } catch (err) {
    if (!isNotFound(err) || !fetch) throw isNotFound(err) ? new Error(`image "${ref}": not found`) : err;
  }
  return getImage(client, await fetch());
}

/** `containers restore CONTAINER REF`; returns the exit code (0 unless attached to a terminal). */
export async function restore(client: Client, id: string, ref: string, o: RestoreOptions): Promise<number> {
  const checkpoint = await localOrFetched(client, ref, o.fetch);
  const target = imageTarget(checkpoint);
  const p = plan(ref, target, await readIndex(client, target), o);
  const spec = decodeAny(await readAll(client, p.config.digest));
  let tty = false;
  try {
    tty = !!JSON.parse(spec.value.toString('utf8'))?.process?.terminal;
  } catch {
    // A spec that is not JSON: no terminal.
  }
  // The terminal is checked before anything is made.
  const con = tty ? o.console() : undefined;
  const container = await withTempLease(client, () => restoreContainer(client, id, p, spec));
  try {
    return await startTask(client, container, {
      detach: !tty,
      tty,
      console: con,
      line: o.line,
      removeContainer: 'on-failure',
      checkpoint: p.criu ? ociToApi(p.criu) : undefined,
    });
  } catch (err) {
    const reason = p.criu ? criuReason((err as Error).message, 'restore') : undefined;
    if (reason) throw new Error(`restore task "${id}": ${reason}`);
    throw err;
  }
}
