/**
 * Unpacking an image into snapshots the way containerd's client-side
 * image.Unpack does: under a lease, one committed snapshot per layer named by
 * its chain ID (Prepare "extract-… <chainID>", Diff.Apply, Commit), then the
 * labels that tie it all together for the garbage collector.
 */
import { createHash, randomBytes } from 'crypto';
import type { Client } from '../client/client';
import { isAlreadyExists, isNotFound } from '../errdefs';
import { setLabels } from '../content/store';
import { withTempLease } from '../leases/temp-lease';
import { resolveSnapshotter } from '../snapshotter';
import type { Platform } from '../platforms';
import { ApiImage, Descriptor, ResolvedManifest, ociToApi, resolveManifest } from '../images/image';

const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
export const UNCOMPRESSED_LABEL = 'containerd.io/uncompressed';
/** The config label that keeps an image's snapshot chain alive for snapshotter `sn`. */
export const snapshotGCLabel = (sn: string) => `containerd.io/gc.ref.snapshot.${sn}`;

/** Chain IDs of a layer stack (OCI identity.ChainIDs): chain[i] = sha256(chain[i-1] + " " + diff[i]). */
export function chainIDs(diffIDs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIDs) {
    if (!out.length) out.push(d);
    else out.push(`sha256:${createHash('sha256').update(`${out[out.length - 1]} ${d}`).digest('hex')}`);
  }
  return out;
}

/** The chain ID of the whole stack. */
export function chainID(diffIDs: readonly string[]): string {
  const c = chainIDs(diffIDs);
  return c[c.length - 1] ?? '';
}

/** containerd's unpack key: "extract-<nanoseconds>-<base64url of 3 random bytes> <chainID>". */
export function unpackKey(chain: string): string {
  const nanos = Number(process.hrtime.bigint() % 1_000_000_000n);
  return `extract-${nanos}-${randomBytes(3).toString('base64url')} ${chain}`;
}

export interface UnpackOptions {
  /** Snapshotter name; empty resolves the namespace default like ctr. */
  snapshotter?: string;
  platform?: Platform;
  /** Called before each layer is applied (for ctr-style progress lines). */
  onLayer?: (layer: Descriptor, chain: string, state: 'exists' | 'applying' | 'applied') => void;
  /** Ask the differ to sync the filesystem after applying (ctr 2.x --sync-fs). */
  syncFs?: boolean;
}

export interface UnpackResult {
  chainID: string;
  /** True if at least one layer had to be applied. */
  unpacked: boolean;
  snapshotter: string;
  resolved: ResolvedManifest;
}

/** Snapshots.Stat as a yes/no: false when the key is unknown, other errors thrown. */
export async function snapshotExists(client: Client, snapshotter: string, key: string): Promise<boolean> {
  if (!key) return false;
  try {
    await client.unary(SNAP, 'Stat', { snapshotter, key });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function removeQuietly(client: Client, snapshotter: string, key: string): Promise<void> {
  await client.unary(SNAP, 'Remove', { snapshotter, key }).catch(() => undefined);
}

/**
 * Apply one layer on top of parent as snapshot `chain` (rootfs.ApplyLayer):
 * returns false if another writer made it first.
 */
async function applyLayer(client: Client, snapshotter: string, layer: Descriptor, diffID: string, chain: string, parent: string, syncFs = false): Promise<boolean> {
  let key = '';
  let mounts: { type: string; source: string; target: string; options: string[] }[] = [];
  for (let attempt = 0; ; attempt++) {
    key = unpackKey(chain);
    try {
      mounts = (await client.unary(SNAP, 'Prepare', { snapshotter, key, parent })).mounts;
      break;
    } catch (err) {
      // A racing unpack may have committed the same chain meanwhile.
      if (isAlreadyExists(err)) {
        if (await snapshotExists(client, snapshotter, chain)) return false;
        if (attempt < 3) continue;
      }
      throw err;
    }
  }
  try {
    const res = await client.unary('containerd.services.diff.v1.Diff', 'Apply', { diff: ociToApi(layer), mounts, ...(syncFs ? { sync_fs: true } : {}) });
    const applied = res.applied?.digest;
    if (applied !== diffID) throw new Error(`wrong diff id calculated on extraction ${JSON.stringify(diffID)}: got ${applied}`);
    try {
      await client.unary(SNAP, 'Commit', { snapshotter, name: chain, key });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await removeQuietly(client, snapshotter, key);
      return false;
    }
    return true;
  } catch (err) {
    await removeQuietly(client, snapshotter, key);
    throw err;
  }
}

/**
 * Unpack an image for a platform (default: this host) into `snapshotter`,
 * all under a lease (the client's, or a temporary one); afterwards the layer
 * blobs carry containerd.io/uncompressed and the config
 * containerd.io/gc.ref.snapshot.<sn>=<top chain ID>.
 */
export async function unpackImage(client: Client, image: ApiImage | Descriptor, opts: UnpackOptions = {}): Promise<UnpackResult> {
  return withTempLease(client, async () => {
    const resolved = await resolveManifest(client, image, opts.platform);
    const diffIDs = resolved.config.rootfs?.diff_ids ?? [];
    const layers = resolved.manifest.layers ?? [];
    if (diffIDs.length !== layers.length) throw new Error('mismatched image rootfs and manifest layers');
    const snapshotter = await resolveSnapshotter(client, opts.snapshotter);
    const chains = chainIDs(diffIDs);
    let unpacked = false;
    for (let i = 0; i < layers.length; i++) {
      const chain = chains[i];
      if (await snapshotExists(client, snapshotter, chain)) {
        opts.onLayer?.(layers[i], chain, 'exists');
        continue;
      }
      opts.onLayer?.(layers[i], chain, 'applying');
      const applied = await applyLayer(client, snapshotter, layers[i], diffIDs[i], chain, i ? chains[i - 1] : '', opts.syncFs);
      if (applied) {
        unpacked = true;
        // Only now is the uncompressed digest verified by the apply.
        await setLabels(client, layers[i].digest, { [UNCOMPRESSED_LABEL]: diffIDs[i] });
      }
      opts.onLayer?.(layers[i], chain, 'applied');
    }
    const top = chains[chains.length - 1] ?? '';
    await setLabels(client, resolved.configDesc.digest, { [snapshotGCLabel(snapshotter)]: top });
    return { chainID: top, unpacked, snapshotter, resolved };
  });
}

/** True if the image's top snapshot exists in `snapshotter` (empty: the namespace default). */
export async function isUnpacked(client: Client, image: ApiImage | Descriptor, snapshotter?: string, platform?: Platform): Promise<boolean> {
  const resolved = await resolveManifest(client, image, platform);
  const sn = await resolveSnapshotter(client, snapshotter);
  const top = chainID(resolved.config.rootfs?.diff_ids ?? []);
  if (!top) return false;
  return snapshotExists(client, sn, top);
}
