/**
 * What the snapshots commands share: the service, the snapshotter in use, the
 * listing stream, and ctr's renderings of infos and mounts.
 */
import * as path from 'path';
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { resolveSnapshotter } from '../snapshotter';
import { goRFC3339Nano } from '../events/go-time';
import { goIndent, goString, type GoStyle, goStyleOf } from '../events/go-json';

export const SNAPSHOTS = 'containerd.services.snapshots.v1.Snapshots';
export type Info = containerd.services.snapshots.v1.Info;
export type Mount = containerd.types.Mount;

/** The label ctr puts on snapshots it creates so the garbage collector keeps them. */
export const GC_ROOT_LABEL = 'containerd.io/gc.root';

/** ctr's gc.root value: now, UTC, RFC 3339 to the second. */
export function gcRootNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The snapshotter of a snapshots command: --snapshotter (group or verb), else the namespace default. */
export function snapshotterOf(client: Client, argv: { snapshotter?: string }): Promise<string> {
  return resolveSnapshotter(client, argv.snapshotter || undefined);
}

/** Every snapshot of a snapshotter, in the daemon's order (Snapshots.List is a stream of batches). */
export async function listSnapshots(client: Client, snapshotter: string, filters: string[] = []): Promise<Info[]> {
  const all: Info[] = [];
  for await (const batch of client.serverStream(SNAPSHOTS, 'List', { snapshotter, filters })) all.push(...batch.info);
  return all;
}

/** Kind as Go's snapshots.Kind prints it: Active, Committed, View. */
export function kindName(kind: string | number): string {
  const k = String(kind);
  const names: Record<string, string> = { VIEW: 'View', ACTIVE: 'Active', COMMITTED: 'Committed', '1': 'View', '2': 'Active', '3': 'Committed' };
  return names[k] ?? 'Unknown';
}

/** ctr's `snapshots info` JSON: Go's snapshots.Info (Kind, Name, Parent?, Labels?, Created, Updated), indented. */
export function infoAsGoJSON(info: Info): string {
  const parts = [`"Kind":${goString(kindName(info.kind))}`, `"Name":${goString(info.name)}`];
  if (info.parent) parts.push(`"Parent":${goString(info.parent)}`);
  const keys = Object.keys(info.labels ?? {}).sort();
  if (keys.length) parts.push(`"Labels":{${keys.map((k) => `${goString(k)}:${goString(info.labels[k])}`).join(',')}}`);
  parts.push(`"Created":"${goRFC3339Nano(info.created_at)}"`, `"Updated":"${goRFC3339Nano(info.updated_at)}"`);
  return goIndent(`{${parts.join(',')}}`) + '\n';
}

/**
 * ctr's --mounts JSON: Go's mount.Mount list, indented. 2.x's struct has a
 * Target field (always written); 1.x's has none.
 */
export function mountsAsGoJSON(mounts: Mount[], style: GoStyle): string {
  const one = (m: Mount) => {
    const parts = [`"Type":${goString(m.type)}`, `"Source":${goString(m.source)}`];
    if (style === 'golang') parts.push(`"Target":${goString(m.target ?? '')}`);
    parts.push(`"Options":${m.options?.length ? `[${m.options.map(goString).join(',')}]` : 'null'}`);
    return `{${parts.join(',')}}`;
  };
  return goIndent(`[${mounts.map(one).join(',')}]`) + '\n';
}

/** ctr's mount command lines: `mount -t TYPE SOURCE TARGET -o OPTS` (2.x joins the mount's own target and drops an empty -o). */
export function mountLines(target: string, mounts: Mount[], style: GoStyle): string {
  return mounts
    .map((m) => {
      if (style === 'gogo') return `mount -t ${m.type} ${m.source} ${target} -o ${(m.options ?? []).join(',')}\n`;
      const dest = path.join(target, m.target ?? '');
      return `mount -t ${m.type} ${m.source} ${dest}${m.options?.length ? ` -o ${m.options.join(',')}` : ''}\n`;
    })
    .join('');
}

/** The daemon's Go style (1.x gogo or 2.x golang structs), for output that differs between ctr releases. */
export async function daemonStyle(client: Client): Promise<GoStyle> {
  const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
  return goStyleOf(v.version);
}

/** `snapshots tree`: roots as " name", each level two spaces deeper with "\_". */
export function renderTree(infos: Info[]): string {
  const nodes: { name: string; parent: string; children: string[] }[] = [];
  const index = new Map<string, (typeof nodes)[number]>();
  const add = (name: string, parent: string) => {
    let n = index.get(name);
    if (!n) {
      n = { name, parent, children: [] };
      nodes.push(n);
      index.set(name, n);
    } else n.parent = parent;
    if (parent) {
      const p = index.get(parent) ?? add(parent, '');
      p.children.push(name);
    }
    return n;
  };
  for (const i of infos) add(i.name, i.parent);
  let out = '';
  const print = (name: string, level: number) => {
    const n = index.get(name)!;
    out += `${'  '.repeat(level)}${level > 0 ? '\\_' : ''} ${n.name}\n`;
    for (const c of n.children) print(c, level + 1);
  };
  for (const n of nodes) if (!n.parent) print(n.name, 0);
  return out;
}
