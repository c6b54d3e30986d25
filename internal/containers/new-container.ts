/**
 * ctr's run.NewContainer: from an image (unpacked first if needed), a
 * --rootfs directory or a --config spec file to a container record with the
 * same spec, labels, snapshot and runtime options ctr would store. Calls:
 * (Images.Get, Snapshots.Stat, unpack if needed), Leases.Create,
 * Snapshots.Prepare, Containers.Create, Leases.Delete. Whatever fails, the
 * snapshot made here is removed again.
 */
import * as fs from 'fs';
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import type { ContainerFlagArgs } from '../container-flags';
import { isAlreadyExists, UsageError } from '../errdefs';
import { withTempLease } from '../leases/temp-lease';
import { resolveSnapshotter } from '../snapshotter';
import { packAny, OCI_SPEC_URL } from '../typeurl';
import { parsePlatform } from '../platforms';
import { getImage, resolveManifest } from '../images/image';
import { chainID as topChainID, snapshotExists, unpackImage } from '../unpack/unpack';
import { applyOpts } from '../oci/options';
import { flavourFor, type SpecFlavour } from '../oci/spec';
import { canonicalSpec, type Spec } from '../oci/spec-json';
import { absRootfs, labelArgs, specOptsFromFlags } from './spec-from-flags';
import { rootfsAccess, type ApiMount } from './temp-mount';
import { goJSON } from './go-json';
import { userNSFromFlags, userNSSnapshot } from './userns';
import { cniExtensions } from '../cni/container';

export const STOP_SIGNAL_LABEL = 'io.containerd.image.config.stop-signal';
const RUNC_V2 = 'io.containerd.runc.v2';
const SNAP = 'containerd.services.snapshots.v1.Snapshots' as const;
// containerd's labels.Validate: key and value together at most 4096 bytes.
const MAX_LABEL = 4096;

type Container = containerd.services.containers.v1.Container;

/** What to make: ctr's positional arguments and flags. */
export interface NewContainerRequest {
  /** IMAGE (or the rootfs directory with --rootfs); unused with --config. */
  ref: string;
  id: string;
  /** The command line's process args. */
  args: string[];
  flags: ContainerFlagArgs;
}

/** The spec flavour of the daemon's release line (one Version call). */
export async function daemonFlavour(client: Client): Promise<SpecFlavour> {
  const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
  return flavourFor(v.version);
}

/** ctr's RuntimeOptions: runc's Options for runc v2, runtimeoptions' ConfigPath for others. */
export function runtimeOptions(f: ContainerFlagArgs): { type_url: string; value: Buffer } | undefined {
  const runtime = f.runtime || RUNC_V2;
  if ((f['runc-binary'] || f['runc-systemd-cgroup']) && runtime !== RUNC_V2) {
    throw new UsageError(`specifying runc-binary and runc-systemd-cgroup is only supported for "${RUNC_V2}" runtime`);
  }
  if (runtime === RUNC_V2) {
    if (f['runc-systemd-cgroup'] && !f.cgroup) {
      throw new UsageError('option --runc-systemd-cgroup requires --cgroup to be set, e.g. "machine.slice:foo:deadbeef"');
    }
    return packAny('containerd.runc.v1.Options', {
      binary_name: f['runc-binary'] ?? '',
      systemd_cgroup: !!f['runc-systemd-cgroup'],
      root: f['runc-root'] ?? '',
    });
  }
  if (f['runtime-config-path']) return packAny('runtimeoptions.v1.Options', { config_path: f['runtime-config-path'] });
  return undefined;
}

/** Make the container; returns the record as the daemon stored it. */
export async function newContainer(client: Client, req: NewContainerRequest, flavour?: SpecFlavour | Promise<SpecFlavour>): Promise<Container> {
  const f = req.flags;
  // The version is asked for alongside the image lookup, not before it: one round trip less.
  const flavourP = Promise.resolve(flavour ?? daemonFlavour(client));
  flavourP.catch(() => undefined);
  const runtime = { name: f.runtime || RUNC_V2, options: runtimeOptions(f) ?? null };
  const record: Partial<Container> & { labels: Record<string, string> } = { id: req.id, labels: {}, sandbox: f.sandbox ?? '' };

  if (f.config || f.rootfs) {
    const fl = await flavourP;
    if (f.cni) record.extensions = cniExtensions(fl);
    const { base, opts } = specOptsFromFlags(f, { flavour: fl, namespace: client.namespace, id: req.id, args: req.args, rootfsDir: f.rootfs && !f.config ? absRootfs(req.ref) : undefined });
    record.labels = labelArgs(f.label);
    const root = rootfsAccess({ dir: f.config ? '/' : absRootfs(req.ref) });
    const spec = await applyOpts(base(), opts, { rootfs: root.access });
    return withTempLease(client, () => create(client, { ...record, runtime }, spec, f['dump-config']));
  }

  const image = await getImage(client, req.ref);
  const platform = f.platform ? parsePlatform(f.platform) : undefined;
  const resolved = await resolveManifest(client, image, platform);
  const snapshotter = await resolveSnapshotter(client, f.snapshotter);
  const chain = topChainID(resolved.config.rootfs?.diff_ids ?? []);
  if (!(await snapshotExists(client, snapshotter, chain))) await unpackImage(client, image, { snapshotter, platform, syncFs: f['sync-fs'] });
  const cfg = resolved.config.config ?? {};
  const fl = await flavourP;
  if (f.cni) record.extensions = cniExtensions(fl);
  const { base, opts } = specOptsFromFlags(f, { flavour: fl, namespace: client.namespace, id: req.id, args: req.args, image: cfg });

  // Image labels that pass containerd's validation, then --label over them, then the stop signal.
  for (const [k, v] of Object.entries(cfg.Labels ?? {})) if (k.length + v.length <= MAX_LABEL) record.labels[k] = v;
  Object.assign(record.labels, labelArgs(f.label));
  record.labels[STOP_SIGNAL_LABEL] = cfg.StopSignal || 'SIGTERM';

  return withTempLease(client, async () => {
    let mounts: ApiMount[];
    try {
      const userns = userNSFromFlags(f);
      // With a user namespace the snapshot goes on a shifted copy of the image (or carries remap labels) instead.
      const { parent, labels } = userns ? await userNSSnapshot(client, snapshotter, chain, userns, fl.line) : { parent: chain, labels: labelArgs(f['snapshotter-label']) };
      const res = await client.unary(SNAP, 'Prepare', { snapshotter, key: req.id, parent, labels });
      mounts = res.mounts;
    } catch (err) {
      if (isAlreadyExists(err) && (await containerExists(client, req.id))) throw new Error(`container "${req.id}": already exists`);
      throw err;
    }
    const root = rootfsAccess({ mounts });
    try {
      const spec = await applyOpts(base(), opts, { rootfs: root.access }).finally(() => root.release());
      return await create(client, { ...record, image: image.name, snapshotter, snapshot_key: req.id, runtime }, spec, f['dump-config']);
    } catch (err) {
      await client.unary(SNAP, 'Remove', { snapshotter, key: req.id }).catch(() => undefined);
      throw err;
    }
  });
}

async function create(client: Client, record: Partial<Container>, spec: Spec, dumpTo?: string): Promise<Container> {
  const json = goJSON(canonicalSpec(spec));
  // --dump-config (ctr 2.2+): the spec as generated, beside the container made from it.
  if (dumpTo) fs.writeFileSync(dumpTo, JSON.stringify(canonicalSpec(spec), null, 4) + '\n');
  try {
    const res = await client.unary('containerd.services.containers.v1.Containers', 'Create', {
      container: { ...record, spec: { type_url: OCI_SPEC_URL, value: Buffer.from(json) } },
    });
    return res.container!;
  } catch (err) {
    if (isAlreadyExists(err)) throw new Error(`container "${record.id}": already exists`);
    throw err;
  }
}

async function containerExists(client: Client, id: string): Promise<boolean> {
  try {
    await client.unary('containerd.services.containers.v1.Containers', 'Get', { id });
    return true;
  } catch {
    return false;
  }
}
