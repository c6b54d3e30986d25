/** Live object IDs for completion, from the daemon's own list calls. */
import type { Client } from '../client/client';
import { isUnimplemented } from '../errdefs';
import { resolveSnapshotter } from '../snapshotter';
import type { LiveKind, SeenFlags } from './complete';

/** The IDs of `kind` in the client's namespace (empty when the daemon cannot say). */
export async function liveIds(c: Client, kind: LiveKind, flags: SeenFlags): Promise<string[]> {
  switch (kind) {
    case 'namespaces':
      return (await c.unary('containerd.services.namespaces.v1.Namespaces', 'List', {})).namespaces.map((n) => n.name);
    case 'images':
      return (await c.unary('containerd.services.images.v1.Images', 'List', {})).images.map((i) => i.name);
    case 'containers': {
      const ids: string[] = [];
      try {
        for await (const m of c.serverStream('containerd.services.containers.v1.Containers', 'ListStream', {})) if (m.container) ids.push(m.container.id);
      } catch (err) {
        if (!isUnimplemented(err)) throw err;
        return (await c.unary('containerd.services.containers.v1.Containers', 'List', {})).containers.map((x) => x.id);
      }
      return ids;
    }
    case 'tasks':
      return (await c.unary('containerd.services.tasks.v1.Tasks', 'List', {})).tasks.map((t) => t.id);
    case 'snapshots': {
      const snapshotter = await resolveSnapshotter(c, flags.snapshotter);
      const names: string[] = [];
      for await (const m of c.serverStream('containerd.services.snapshots.v1.Snapshots', 'List', { snapshotter })) names.push(...m.info.map((i) => i.name));
      return names;
    }
    case 'content': {
      const digests: string[] = [];
      for await (const m of c.serverStream('containerd.services.content.v1.Content', 'List', {})) digests.push(...m.info.map((i) => i.digest));
      return digests;
    }
    case 'leases':
      return (await c.unary('containerd.services.leases.v1.Leases', 'List', {})).leases.map((l) => l.id);
    case 'snapshotters': {
      const res = await c.unary('containerd.services.introspection.v1.Introspection', 'Plugins', { filters: ['type==io.containerd.snapshotter.v1'] });
      return res.plugins.filter((p) => !p.init_err?.code).map((p) => p.id);
    }
    case 'methods': {
      const { loadServices, allMethodNames } = await import('../client/api-catalog');
      return methodNames(allMethodNames(await loadServices()));
    }
    case 'api-names': {
      const { loadServices } = await import('../client/api-catalog');
      const services = await loadServices();
      return [...Object.keys(services), ...methodNames(Object.keys(services).flatMap((s) => Object.keys(services[s].methods).map((m) => `${s}/${m}`)))];
    }
  }
  return [];
}

// Full names and the short forms people type: Version/Version, version.v1.Version/Version.
// Only unambiguous short forms: what `api call` accepts.
function methodNames(full: string[]): string[] {
  const count = new Map<string, number>();
  for (const f of full) {
    const [svc, m] = f.split('/');
    const parts = svc.split('.');
    for (let i = 1; i < parts.length; i++) {
      const short = `${parts.slice(i).join('.')}/${m}`;
      count.set(short, (count.get(short) ?? 0) + 1);
    }
  }
  return [...full, ...[...count].filter(([, n]) => n === 1).map(([s]) => s)];
}
