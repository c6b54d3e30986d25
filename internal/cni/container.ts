/**
 * CNI as ctr ties it to containers: `run --cni` attaches "<namespace>-<id>"
 * through /proc/<pid>/ns/net between Tasks.Create and Tasks.Start, and (1.7+)
 * marks the container with the extension ctr.cni-containerd.metadata, a JSON
 * {"EnableCni":true} under the type URL of ctr's Go struct; `tasks kill`
 * removes the network of containers so marked.
 */
import type { containerd } from '../../api/gen/types';
import type { SpecFlavour } from '../oci/spec';
import { packJSON, type AnyMessage } from '../typeurl';
import { cniSettings, loadDefaultNetwork, type CniSettings, type NetworkList } from './config';
import { addNetwork, delNetwork } from './network';

/** The container extension ctr 1.7+ stores for `run --cni`. */
export const CNI_EXTENSION = 'ctr.cni-containerd.metadata';
// ctr's typeurl registration of its NetworkMetaData struct: the module path changed with 2.0.
const METADATA_URL_V2 = 'github.com/containerd/containerd/v2/cmd/ctr/commands/NetworkMetaData';
const METADATA_URL_V1 = 'github.com/containerd/containerd/cmd/ctr/commands/NetworkMetaData';

type Container = containerd.services.containers.v1.Container;

/** The configuration a run or kill works with, loaded once. */
export interface Cni {
  settings: CniSettings;
  net: NetworkList;
}

/** Load the default network (NETCONFPATH / CNI_PATH honoured); throws when there is none or it is invalid. */
export function loadCni(env: NodeJS.ProcessEnv = process.env): Cni {
  const settings = cniSettings(env);
  return { settings, net: loadDefaultNetwork(settings.confDir) };
}

/** ctr's FullID: the CNI container ID of a container. */
export const cniContainerID = (namespace: string, id: string) => `${namespace}-${id}`;

/** The extensions ctr of the daemon's line stores with --cni: 2.x and 1.7 (runtime-spec 1.1.0) do, 1.6 does not. */
export function cniExtensions(flavour: SpecFlavour): Record<string, AnyMessage> | undefined {
  if (flavour.line === '1.6' && flavour.ociVersion === '1.0.2-dev') return undefined;
  const url = flavour.line === '2' ? METADATA_URL_V2 : METADATA_URL_V1;
  return { [CNI_EXTENSION]: packJSON(url, { EnableCni: true }) };
}

/** Whether the container carries ctr's CNI extension with EnableCni set. */
export function hasCniEnabled(container: Container): boolean {
  const ext = container.extensions?.[CNI_EXTENSION];
  if (!ext) return false;
  try {
    if (ext.type_url !== METADATA_URL_V2 && ext.type_url !== METADATA_URL_V1) throw new Error(`unknown type ${ext.type_url}`);
    const meta = JSON.parse(Buffer.from(ext.value ?? []).toString('utf8')) as { EnableCni?: unknown };
    return meta?.EnableCni === true;
  } catch (err) {
    throw new Error(`failed to unmarshal cni metadata extension ${CNI_EXTENSION}: ${(err as Error).message}`);
  }
}

/** CNI ADD for a created task (before it starts). */
export async function attachTask(cni: Cni, namespace: string, id: string, pid: number): Promise<void> {
  await addNetwork(cni.net, { containerId: cniContainerID(namespace, id), netns: `/proc/${pid}/ns/net` }, cni.settings);
}

/** CNI DEL, without a namespace path as ctr makes it (after the task, and in tasks kill). */
export async function detachContainer(cni: Cni, namespace: string, id: string, netns = ''): Promise<void> {
  await delNetwork(cni.net, { containerId: cniContainerID(namespace, id), netns }, cni.settings);
}
