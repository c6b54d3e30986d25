/**
 * run's --uidmap/--gidmap (with --remap-labels), as ctr does them: a user
 * namespace with the mappings in the spec, and a root filesystem whose owners
 * are shifted to the host IDs. Without --remap-labels the client shifts them:
 * the image's snapshot is prepared under a remap key, every file chowned
 * (lchown, so no link is followed), and the result committed under a name
 * other containers with the same mappings reuse (1.6: <chain>-<uid>-<gid>;
 * 2.x: the digest of the parent and the mappings). With --remap-labels the
 * snapshotter is asked to do it through labels; on 2.x, a snapshotter without
 * the remap-ids capability gets the client-side shift first, as ctr does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import type { Client } from '../client/client';
import { UsageError } from '../errdefs';
import type { SpecOpt } from '../oci/options';
import { mountAt, type ApiMount } from './temp-mount';

const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
const UID_LABEL = 'containerd.io/snapshot/uidmapping';
const GID_LABEL = 'containerd.io/snapshot/gidmapping';

/** One runtime-spec LinuxIDMapping. */
export interface IDMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** The mappings of a run, or undefined when it asks for no user namespace. */
export interface UserNS {
  uid: IDMapping[];
  gid: IDMapping[];
  remapLabels: boolean;
}

// Go's strconv.ParseUint(s, 0, 32).
function parseUint32(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[oO]?[0-7]+$/.test(t)) n = parseInt(t.replace(/^0[oO]?/, ''), 8);
  else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

/** ctr's parseIDMapping: "container-id:host-id:size". */
export function parseIDMapping(text: string): IDMapping {
  const parts = text.split(':');
  if (parts.length !== 3) throw new UsageError('user namespace mappings require the format `container-id:host-id:size`');
  const [c, h, n] = parts.map(parseUint32);
  const bad = (what: string, v: string) => new UsageError(`invalid ${what} for user namespace remapping: strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
  if (c === undefined) throw bad('container id', parts[0]);
  if (h === undefined) throw bad('host id', parts[1]);
  if (n === undefined) throw bad('size', parts[2]);
  return { containerID: c, hostID: h, size: n };
}

/** The flags' user namespace: only when both --uidmap and --gidmap are given, as in ctr. */
export function userNSFromFlags(f: { uidmap?: string[]; gidmap?: string[]; 'remap-labels'?: boolean }): UserNS | undefined {
  if (!f.uidmap?.length || !f.gidmap?.length) return undefined;
  return { uid: f.uidmap.map(parseIDMapping), gid: f.gidmap.map(parseIDMapping), remapLabels: !!f['remap-labels'] };
}

/** WithUserNamespace: a user namespace (unless there is one) and the mappings appended. */
export const withUserNamespace = (ns: UserNS): SpecOpt => (s) => {
  const l = (s.linux ??= {});
  l.namespaces ??= [];
  if (!l.namespaces.some((n: { type: string }) => n.type === 'user')) l.namespaces.push({ type: 'user' });
  l.uidMappings = [...(l.uidMappings ?? []), ...ns.uid];
  l.gidMappings = [...(l.gidMappings ?? []), ...ns.gid];
};

const serialize = (ms: IDMapping[]) => ms.map((m) => `${m.containerID}:${m.hostID}:${m.size}`).join(',');

/** The snapshot labels --remap-labels sets. */
export function remapLabels(ns: UserNS): Record<string, string> {
  return { [UID_LABEL]: serialize(ns.uid), [GID_LABEL]: serialize(ns.gid) };
}

function toHost(ms: IDMapping[], id: number): number {
  const m = ms.find((x) => id >= x.containerID && id < x.containerID + x.size);
  if (!m) throw new Error(`container ID ${id} cannot be mapped to a host ID`);
  return m.hostID + (id - m.containerID);
}

// Every path under root, root first (filepath.Walk's order does not matter for the result).
function walk(dir: string, fn: (p: string, st: fs.Stats) => void): void {
  fn(dir, fs.lstatSync(dir));
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) walk(p, fn);
    else fn(p, st);
  }
}

/** Shift the owners under the mounts: 1.6 adds the first host IDs; 2.x maps each ID and keeps setuid/setgid/sticky bits. */
function shiftOwners(mounts: ApiMount[], ns: UserNS, line: '1.6' | '2'): void {
  const view = mountAt(mounts);
  try {
    walk(view.root, (p, st) => {
      if (line === '1.6') return fs.lchownSync(p, (st.uid + ns.uid[0].hostID) >>> 0, (st.gid + ns.gid[0].hostID) >>> 0);
      fs.lchownSync(p, toHost(ns.uid, st.uid), toHost(ns.gid, st.gid));
      if (!st.isSymbolicLink() && st.mode & 0o7000) fs.chmodSync(p, st.mode & 0o7777);
    });
  } finally {
    view.release();
  }
}

/** The name of the shifted snapshot for `parent`. */
export function remappedName(parent: string, ns: UserNS, line: '1.6' | '2'): string {
  if (line === '1.6') return `${parent}-${ns.uid[0].hostID}-${ns.gid[0].hostID}`;
  const byContainerID = (ms: IDMapping[]) => [...ms].sort((a, b) => a.containerID - b.containerID);
  const doc = JSON.stringify({ Parent: parent, IDMap: { UidMap: byContainerID(ns.uid), GidMap: byContainerID(ns.gid) } });
  return `sha256:${createHash('sha256').update(doc).digest('hex')}`;
}

/** The shifted snapshot of parent: reused if it exists, else made (under the caller's lease). */
async function remappedSnapshot(client: Client, snapshotter: string, parent: string, ns: UserNS, line: '1.6' | '2'): Promise<string> {
  if (line === '2') {
    for (const ms of [ns.uid, ns.gid]) if (!ms.some((m) => m.containerID === 0)) throw new Error('container UID/GID mapping entries of 0 are required but not found');
  }
  const name = remappedName(parent, ns, line);
  try {
    await client.unary(SNAP, 'Stat', { snapshotter, key: name });
    return name;
  } catch {
    // Not made yet.
  }
  const work = `${name}-remap`;
  const { mounts } = await client.unary(SNAP, 'Prepare', { snapshotter, key: work, parent });
  try {
    shiftOwners(mounts, ns, line);
    await client.unary(SNAP, 'Commit', { snapshotter, name, key: work });
  } catch (err) {
    await client.unary(SNAP, 'Remove', { snapshotter, key: work }).catch(() => undefined);
    throw err;
  }
  return name;
}

async function capabilities(client: Client, snapshotter: string): Promise<string[]> {
  const res = await client.unary('containerd.services.introspection.v1.Introspection', 'Plugins', { filters: [`type==io.containerd.snapshotter.v1, id==${snapshotter}`] });
  if (!res.plugins.length) throw new Error(`inspection service could not find snapshotter ${snapshotter} plugin`);
  return res.plugins[0].capabilities;
}

/** Parent and labels for the container's Snapshots.Prepare under a user namespace. */
export async function userNSSnapshot(client: Client, snapshotter: string, chain: string, ns: UserNS, line: '1.6' | '2'): Promise<{ parent: string; labels: Record<string, string> }> {
  if (!ns.remapLabels) return { parent: await remappedSnapshot(client, snapshotter, chain, ns, line), labels: {} };
  const labels = remapLabels(ns);
  if (line === '1.6') return { parent: chain, labels };
  const caps = await capabilities(client, snapshotter);
  if (caps.includes('remap-ids')) return { parent: chain, labels };
  if (caps.includes('only-remap-ids')) throw new Error(`snapshotter "${snapshotter}" doesn't support idmap mounts on this host, configure \`slow_chown\` to allow a slower and expensive fallback`);
  return { parent: await remappedSnapshot(client, snapshotter, chain, ns, line), labels };
}
