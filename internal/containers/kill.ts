/** ctr's tasks kill, and signal names as ctr parses them. */
import { constants } from 'os';
import type { Client } from '../client/client';
import { isNotFound, UsageError } from '../errdefs';
import { STOP_SIGNAL_LABEL } from './new-container';
import { getContainer, getTask } from './task';
import { detachContainer, hasCniEnabled, loadCni } from '../cni/container';

/** A signal by number, or by name with or without SIG, any case (ctr's ParseSignal). */
export function parseSignal(raw: string): number {
  if (/^\d+$/.test(raw)) return Number(raw);
  const name = 'SIG' + raw.toUpperCase().replace(/^SIG/, '');
  const n = (constants.signals as Record<string, number>)[name];
  if (n === undefined) throw new UsageError(`unknown signal ${JSON.stringify(raw)}`);
  return n;
}

/** Send the signal (default: the container's stop signal label, else SIGTERM); CNI containers leave their network first. */
export async function killTask(client: Client, id: string, signal: string, execId: string, all: boolean): Promise<void> {
  const container = await getContainer(client, id);
  const sig = parseSignal(signal || container.labels?.[STOP_SIGNAL_LABEL] || 'SIGTERM');
  await getTask(client, id);
  // ctr 1.7+/2.x: a container run with --cni leaves its network before any signal (also for an exec's), and a failure stops the kill.
  if (hasCniEnabled(container)) await detachContainer(loadCni(), client.namespace, id);
  try {
    await client.unary('containerd.services.tasks.v1.Tasks', 'Kill', { container_id: id, exec_id: execId, signal: sig, all });
  } catch (err) {
    if (isNotFound(err)) throw new Error(`cannot kill task "${id}"${execId ? ` process "${execId}"` : ''}: ${(err as Error).message}`);
    throw err;
  }
}
