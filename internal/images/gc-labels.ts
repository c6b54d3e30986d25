/**
 * The content labels that make the garbage collector keep an image's
 * children (containerd's images.ChildGCLabels / SetChildrenMappedLabels):
 * manifests get gc.ref.content.m.<n>, configs gc.ref.content.config, layers
 * gc.ref.content.l.<n>, anything else gc.ref.content.<n>.
 */
import type { Client } from '../client/client';
import { setLabels } from '../content/store';
import { Descriptor, isConfig, isLayer, isManifest } from './image';

const PREFIX = 'containerd.io/gc.ref.content.';

/** The label key prefix for a child; a trailing '.' means "numbered". */
export function childGCLabelKey(desc: Descriptor): string {
  if (isConfig(desc.mediaType)) return `${PREFIX}config`;
  if (isManifest(desc.mediaType)) return `${PREFIX}m.`;
  if (isLayer(desc.mediaType)) return `${PREFIX}l.`;
  return PREFIX;
}

/** The labels for a parent with these children, numbered per prefix from 0. */
export function childrenLabels(children: readonly Descriptor[]): Record<string, string> {
  const counts = new Map<string, number>();
  const labels: Record<string, string> = {};
  for (const c of children) {
    let key = childGCLabelKey(c);
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    if (n > 0 || key.endsWith('.')) key = `${key}${n}`;
    labels[key] = c.digest;
  }
  return labels;
}

/** Set the children's gc labels on the parent blob (nothing when it has no children). */
export async function setChildrenLabels(client: Client, parent: Descriptor, children: readonly Descriptor[]): Promise<void> {
  if (!children.length) return;
  await setLabels(client, parent.digest, childrenLabels(children));
}
