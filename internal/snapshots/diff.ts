/**
 * A layer from two snapshots, as ctr's `snapshots diff` makes it: temporary
 * views of committed snapshots (removed after), the differ's Diff over the two
 * mount lists, the blob read back. The caller holds a lease so the blob
 * lives long enough to be read.
 */
import * as crypto from 'crypto';
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { SNAPSHOTS, type Mount } from './snapshots';

export type Descriptor = containerd.types.Descriptor;

export interface DiffOptions {
  mediaType: string;
  ref?: string;
  labels?: Record<string, string>;
}

// ctr's temporary view keys end in a random part so two diffs do not collide.
const uniquePart = () => `${Date.now() % 1e9}-${crypto.randomBytes(3).toString('base64url')}`;

/** Mounts of a snapshot: its own if active, else those of a temporary view that `cleanup` removes. */
async function mountsOf(client: Client, snapshotter: string, key: string, cleanup: string[]): Promise<Mount[]> {
  const { info } = await client.unary(SNAPSHOTS, 'Stat', { snapshotter, key });
  if (info!.kind === 'ACTIVE') return (await client.unary(SNAPSHOTS, 'Mounts', { snapshotter, key })).mounts;
  const view = `${key}-view-${uniquePart()}`;
  const { mounts } = await client.unary(SNAPSHOTS, 'View', { snapshotter, key: view, parent: key });
  cleanup.push(view);
  return mounts;
}

/**
 * Diff snapshot `a` against `b`, or against a's parent when b is not given.
 * Returns the descriptor of the layer written to the content store.
 */
export async function diffSnapshots(client: Client, snapshotter: string, a: string, b: string | undefined, opts: DiffOptions): Promise<Descriptor> {
  const cleanup: string[] = [];
  try {
    let lower: Mount[];
    let upper: Mount[];
    if (b === undefined) {
      const { info } = await client.unary(SNAPSHOTS, 'Stat', { snapshotter, key: a });
      // The parent (or nothing, for a base snapshot) is the lower side.
      const lowerKey = `${info!.parent}-parent-view-${uniquePart()}`;
      lower = (await client.unary(SNAPSHOTS, 'View', { snapshotter, key: lowerKey, parent: info!.parent })).mounts;
      cleanup.push(lowerKey);
      upper = await mountsOf(client, snapshotter, a, cleanup);
    } else {
      // ctr's Compare(a, b): a is the lower side, b the upper.
      lower = await mountsOf(client, snapshotter, a, cleanup);
      upper = await mountsOf(client, snapshotter, b, cleanup);
    }
    const res = await client.unary('containerd.services.diff.v1.Diff', 'Diff', {
      left: lower,
      right: upper,
      media_type: opts.mediaType,
      ref: opts.ref ?? '',
      labels: opts.labels ?? {},
    });
    return res.diff!;
  } finally {
    for (const key of cleanup.reverse()) await client.unary(SNAPSHOTS, 'Remove', { snapshotter, key }).catch(() => undefined);
  }
}
