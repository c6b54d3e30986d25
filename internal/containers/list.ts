/** Containers.ListStream (falling back to List on daemons without it), as ctr's container store does. */
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { isUnimplemented } from '../errdefs';

type Container = containerd.services.containers.v1.Container;
const SVC = 'containerd.services.containers.v1.Containers' as const;

/** Every container matching any of the filters. */
export async function listContainers(client: Client, filters: string[]): Promise<Container[]> {
  const out: Container[] = [];
  try {
    for await (const m of client.serverStream(SVC, 'ListStream', { filters })) if (m.container) out.push(m.container);
    return out;
  } catch (err) {
    if (!isUnimplemented(err) || out.length) throw err;
  }
  return (await client.unary(SVC, 'List', { filters })).containers;
}
