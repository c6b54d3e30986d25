/** The shim group's flags, and the connection every shim verb opens. */
import type { GlobalArgs } from '../context';
import type { ShimTask, TaskAPIVersion } from '../../internal/shim/task';
import { UsageError } from '../../internal/errdefs';

export type ShimArgs = GlobalArgs & { id?: string; 'shim-address'?: string };

/** Check --api-version (2 or 3; unset means 3, then 2 if the shim has no v3). */
export function apiVersionOf(v: unknown): TaskAPIVersion | undefined {
  if (v === undefined) return undefined;
  if (v !== 2 && v !== 3) throw new UsageError('api-version must be 2 or 3');
  return v;
}

/** Open the shim of --id / --shim-address, run fn, close. */
export async function withShim<T>(argv: ShimArgs, fn: (task: ShimTask) => Promise<T>, apiVersion?: TaskAPIVersion): Promise<T> {
  const { connectShim } = await import('../../internal/shim/task');
  const task = await connectShim({ address: argv.address, namespace: argv.namespace, id: argv.id, shimAddress: argv['shim-address'], apiVersion });
  try {
    return await fn(task);
  } finally {
    task.close();
  }
}

/** The --api-version flag of state and shutdown. */
export const apiVersionFlag = {
  type: 'number' as const,
  describe: 'shim API version {2,3} (default: 3, or 2 when the shim serves only v2)',
};
