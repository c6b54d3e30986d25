/** Which snapshotter a command uses, resolved the way ctr does. */
import type { Client } from './client/client';
import { isNotFound } from './errdefs';

export const DEFAULT_SNAPSHOTTER = 'overlayfs';
export const NAMESPACE_SNAPSHOTTER_LABEL = 'containerd.io/defaults/snapshotter';

/**
 * The --snapshotter value if given (the flag itself defaults to
 * $CONTAINERD_SNAPSHOTTER), else the namespace's
 * containerd.io/defaults/snapshotter label, else overlayfs.
 */
export async function resolveSnapshotter(client: Client, flag?: string): Promise<string> {
  if (flag) return flag;
  try {
    const res = await client.unary('containerd.services.namespaces.v1.Namespaces', 'Get', { name: client.namespace });
    const label = res.namespace?.labels?.[NAMESPACE_SNAPSHOTTER_LABEL];
    if (label) return label;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return DEFAULT_SNAPSHOTTER;
}

/** The --snapshotter flag as ctr defines it (env CONTAINERD_SNAPSHOTTER, empty meaning "resolve"). */
export const snapshotterFlag = {
  type: 'string' as const,
  default: process.env.CONTAINERD_SNAPSHOTTER ?? '',
  defaultDescription: 'env $CONTAINERD_SNAPSHOTTER',
  describe: 'Snapshotter name. Empty value stands for the default value.',
};
