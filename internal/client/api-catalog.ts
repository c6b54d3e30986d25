/**
 * The services and methods ctrx knows (api/gen/services.ts, loaded only when
 * a command asks), short names for them, and which containerd plugin serves
 * each one, so that Introspection can tell whether a daemon serves it.
 */
import type { MethodInfo, ServiceInfo } from '../../api/gen/services';
import { UsageError } from '../errdefs';

export type { MethodInfo, ServiceInfo };
export type Services = { [service: string]: ServiceInfo };

/** Every service ctrx knows, by full name (a large module: loaded on first use). */
export async function loadServices(): Promise<Services> {
  return (await import('../../api/gen/services')).SERVICES;
}

/**
 * The io.containerd.grpc.v1 plugin that registers each service on
 * containerd's gRPC socket (checked against 1.6 and 2.x), or where else the
 * service lives: 'ttrpc' for containerd's ttrpc socket, 'shim' for a shim's.
 */
export const SERVING_PLUGIN: Record<string, string> = {
  'containerd.services.containers.v1.Containers': 'containers',
  'containerd.services.content.v1.Content': 'content',
  'containerd.services.diff.v1.Diff': 'diff',
  'containerd.services.events.v1.Events': 'events',
  'containerd.services.images.v1.Images': 'images',
  'containerd.services.introspection.v1.Introspection': 'introspection',
  'containerd.services.leases.v1.Leases': 'leases',
  'containerd.services.namespaces.v1.Namespaces': 'namespaces',
  'containerd.services.sandbox.v1.Controller': 'sandbox-controllers',
  'containerd.services.sandbox.v1.Store': 'sandboxes',
  'containerd.services.snapshots.v1.Snapshots': 'snapshots',
  'containerd.services.streaming.v1.Streaming': 'streaming',
  'containerd.services.tasks.v1.Tasks': 'tasks',
  'containerd.services.transfer.v1.Transfer': 'transfer',
  'containerd.services.version.v1.Version': 'version',
  'containerd.services.mounts.v1.Mounts': 'mounts',
  'runtime.v1.RuntimeService': 'cri',
  'runtime.v1.ImageService': 'cri',
  'containerd.services.events.ttrpc.v1.Events': 'ttrpc',
  'containerd.task.v2.Task': 'shim',
  'containerd.task.v3.Task': 'shim',
  'containerd.runtime.sandbox.v1.Sandbox': 'shim',
};

/** Whether `full` is `short` or ends with `.short` (names match on whole dotted parts). */
function matchesName(full: string, short: string): boolean {
  return full === short || full.endsWith(`.${short}`);
}

/**
 * Find a service by its full name or an unambiguous dotted suffix
 * (`version.v1.Version`, `Version`); with `method`, only services that have
 * it count.
 */
export function resolveService(services: Services, name: string, method?: string): ServiceInfo {
  const exact = services[name];
  if (exact) return exact;
  let found = Object.values(services).filter((s) => matchesName(s.name, name));
  if (method && found.length > 1) found = found.filter((s) => method in s.methods);
  if (found.length === 1) return found[0];
  if (!found.length) throw new UsageError(`unknown service ${JSON.stringify(name)} (see ctrx api list)`);
  throw new UsageError(`service name ${JSON.stringify(name)} is ambiguous: ${found.map((s) => s.name).join(', ')}`);
}

/** Split `service/method` (or `/service/method`, or `service.Method`) and resolve both. */
export function resolveMethod(services: Services, spec: string): { service: ServiceInfo; method: MethodInfo } {
  const s = spec.replace(/^\//, '');
  let cut = s.lastIndexOf('/');
  if (cut < 0) cut = s.lastIndexOf('.');
  if (cut <= 0 || cut === s.length - 1) throw new UsageError(`${JSON.stringify(spec)} is not a method: want <service>/<method>, e.g. version.v1.Version/Version`);
  const methodName = s.slice(cut + 1);
  const service = resolveService(services, s.slice(0, cut), methodName);
  const method = service.methods[methodName];
  if (!method) {
    throw new UsageError(`service ${service.name} has no method ${JSON.stringify(methodName)} (it has ${Object.keys(service.methods).join(', ')})`);
  }
  return { service, method };
}

/** Every `service/method` name, full, for completion and listing. */
export function allMethodNames(services: Services): string[] {
  const out: string[] = [];
  for (const s of Object.values(services)) for (const m of Object.keys(s.methods)) out.push(`${s.name}/${m}`);
  return out;
}
