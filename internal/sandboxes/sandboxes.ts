/**
 * Sandboxes as containerd's client handles them: a record in the sandbox
 * Store, a controller (the sandboxer: "shim" or CRI's "podsandbox") that
 * creates, starts, stops and shuts the sandbox down. Store and Controller
 * services exist from containerd 1.7; the sandboxer field from 2.0.
 */
import type { Client } from '../client/client';
import { needsRelease } from '../client/features';
import { isNotFound, wrap } from '../errdefs';
import { dateToTimestamp } from '../api/json';
import { AnyMessage, OCI_SPEC_URL, packJSON } from '../typeurl';
import { POD_METADATA_EXTENSION, normalizePodConfig, podMetadataExtension } from './pod-config';

export const SANDBOX_STORE = 'containerd.services.sandbox.v1.Store';
export const SANDBOX_CONTROLLER = 'containerd.services.sandbox.v1.Controller';
/** The controller used when a record names none (ctr 2.1 leaves it empty, which every controller call refuses). */
export const DEFAULT_SANDBOXER = 'shim';
/** CRI's controller: runs a pause container from the daemon's configured sandbox image. */
export const PODSANDBOX = 'podsandbox';

/** Run a sandbox call, saying plainly that the daemon is too old when it has no sandbox services. */
export function sandboxCall<T>(client: Client, fn: () => Promise<T>): Promise<T> {
  return needsRelease(client, 'sandboxes', '1.7', fn);
}

export interface RunOptions {
  id: string;
  runtime: string;
  sandboxer: string;
  spec: unknown;
  labels: Record<string, string>;
}

/**
 * Spec and extensions of the record. The shim controller gets the config as
 * the sandbox's OCI spec; podsandbox reads a CRI PodSandboxConfig from the
 * metadata extension, and (like ctr) an empty OCI spec.
 */
function recordPayload(o: RunOptions): { spec: AnyMessage; extensions: Record<string, AnyMessage> } {
  if (o.sandboxer !== PODSANDBOX) return { spec: packJSON(OCI_SPEC_URL, o.spec), extensions: {} };
  const config = normalizePodConfig(o.spec);
  return { spec: packJSON(OCI_SPEC_URL, {}), extensions: { [POD_METADATA_EXTENSION]: podMetadataExtension(o.id, config) } };
}

/**
 * Store.Create, Controller.Create, Controller.Start. If creating or starting
 * fails, everything made so far is undone: the controller's sandbox, a shim
 * it may have left running, and the record.
 */
export async function runSandbox(client: Client, o: RunOptions): Promise<void> {
  const now = dateToTimestamp();
  const sandbox = {
    sandbox_id: o.id,
    runtime: { name: o.runtime },
    ...recordPayload(o),
    labels: o.labels,
    created_at: now,
    updated_at: now,
    sandboxer: o.sandboxer,
  };
  const { sandbox: stored } = await sandboxCall(client, () => client.unary(SANDBOX_STORE, 'Create', { sandbox }));
  try {
    // The controller needs the record (its spec above all: without one a 2.1 daemon crashes).
    await client.unary(SANDBOX_CONTROLLER, 'Create', { sandbox_id: o.id, sandbox: stored ?? sandbox, sandboxer: o.sandboxer });
    await client.unary(SANDBOX_CONTROLLER, 'Start', { sandbox_id: o.id, sandboxer: o.sandboxer });
  } catch (err) {
    await undo(client, o.id, o.sandboxer);
    throw wrap(err, `sandboxer ${JSON.stringify(o.sandboxer)}`);
  }
}

async function undo(client: Client, id: string, sandboxer: string): Promise<void> {
  await client.unary(SANDBOX_CONTROLLER, 'Shutdown', { sandbox_id: id, sandboxer }).catch(() => undefined);
  if (sandboxer === 'shim') await shutdownLeftoverShim(client, id);
  await client.unary(SANDBOX_STORE, 'Delete', { sandbox_id: id }).catch(() => undefined);
}

/**
 * A shim controller whose shim does not serve the sandbox API fails Create
 * after starting the shim, and forgets it; ask that shim to exit.
 */
async function shutdownLeftoverShim(client: Client, id: string): Promise<void> {
  const { connectShim } = await import('../shim/task');
  let task;
  try {
    task = await connectShim({ address: client.address, namespace: client.namespace, id });
  } catch {
    return; // no shim: nothing to do
  }
  try {
    await task.call('Shutdown', { id }, { request: 'ShutdownRequest', response: 'google.protobuf.Empty' }).catch(() => undefined);
  } finally {
    task.close();
  }
}

/**
 * ctr's remove: Store.Get, Controller.Stop (a failure skips the sandbox
 * unless forced), Controller.Shutdown, Store.Delete. A controller that does
 * not know the sandbox (NotFound) has nothing to stop.
 */
export async function removeSandbox(client: Client, id: string, force: boolean): Promise<void> {
  const { sandbox } = await sandboxCall(client, () => client.unary(SANDBOX_STORE, 'Get', { sandbox_id: id }));
  const sandboxer = sandbox?.sandboxer || DEFAULT_SANDBOXER;
  const tolerate = (err: unknown) => {
    if (isNotFound(err) || force) return;
    throw err;
  };
  await client.unary(SANDBOX_CONTROLLER, 'Stop', { sandbox_id: id, sandboxer }).catch(tolerate);
  await client.unary(SANDBOX_CONTROLLER, 'Shutdown', { sandbox_id: id, sandboxer }).catch(tolerate);
  await client.unary(SANDBOX_STORE, 'Delete', { sandbox_id: id });
}
