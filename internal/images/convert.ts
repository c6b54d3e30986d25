/**
 * Image conversion on the client, as containerd's default converter does for
 * `ctr images convert`: decompress layers (--uncompress) and/or rewrite Docker
 * media types as OCI ones (--oci), for the chosen platforms, writing new
 * manifests and indexes (with their gc labels) only where something changed.
 */
import { createGunzip } from 'zlib';
import type { Client } from '../client/client';
import { readBlob, readJSON, writeBlob } from '../content/store';
import { isAlreadyExists, isNotFound } from '../errdefs';
import { withTempLease } from '../leases/temp-lease';
import { Platform, normalizePlatform } from '../platforms';
import { digestOf } from './digest';
import { childrenLabels } from './gc-labels';
import {
  Descriptor,
  Index,
  Manifest,
  MT_DOCKER_CONFIG,
  MT_DOCKER_MANIFEST,
  MT_DOCKER_MANIFEST_LIST,
  MT_OCI_CONFIG,
  MT_OCI_INDEX,
  MT_OCI_MANIFEST,
  apiToOci,
  getImage,
  isIndex,
  isManifest,
  layerCompression,
  ociToApi,
} from './image';

export interface ConvertOptions {
  uncompress?: boolean;
  oci?: boolean;
  /** Platforms to keep (exact); ignored with allPlatforms. */
  platforms: Platform[];
  allPlatforms?: boolean;
}

const DOCKER_TO_OCI_LAYER: Record<string, string> = {
  'application/vnd.docker.image.rootfs.diff.tar': 'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.diff.tar.zstd': 'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar': 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
};

function uncompressedType(mt: string): string {
  return mt.replace(/\+gzip$|\+zstd$/, '').replace(/\.gzip$|\.zstd$/, '');
}

/** Decompress a gzip layer into a new blob labelled with its own (uncompressed) digest. */
async function uncompressLayer(client: Client, desc: Descriptor): Promise<Descriptor> {
  if (layerCompression(desc.mediaType) === 'zstd') throw new Error(`layer ${desc.digest}: zstd layers cannot be uncompressed by ctrx`);
  const gunzip = createGunzip();
  const feed = (async () => {
    try {
      for await (const chunk of readBlob(client, desc.digest)) {
        if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
      }
      gunzip.end();
    } catch (err) {
      gunzip.destroy(err as Error);
    }
  })();
  const res = await writeBlob(client, gunzip, { ref: `convert-uncompress-from-${desc.digest}` });
  await feed;
  await client.unary('containerd.services.content.v1.Content', 'Update', {
    info: { digest: res.digest, labels: { 'containerd.io/uncompressed': res.digest } },
    update_mask: { paths: ['labels.containerd.io/uncompressed'] },
  });
  return { ...desc, mediaType: uncompressedType(desc.mediaType), digest: res.digest, size: res.size };
}

async function convertLayer(client: Client, desc: Descriptor, opts: ConvertOptions): Promise<Descriptor> {
  let d = desc;
  if (opts.uncompress && layerCompression(d.mediaType) !== 'none') d = await uncompressLayer(client, d);
  if (opts.oci && DOCKER_TO_OCI_LAYER[d.mediaType]) d = { ...d, mediaType: DOCKER_TO_OCI_LAYER[d.mediaType] };
  return d;
}

/** Descriptor JSON in Go's field order. */
function descJSON(d: Descriptor): Record<string, unknown> {
  const o: Record<string, unknown> = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.urls?.length) o.urls = d.urls;
  if (d.annotations && Object.keys(d.annotations).length) o.annotations = d.annotations;
  if (d.platform) o.platform = d.platform;
  return o;
}

async function writeDoc(client: Client, doc: unknown, mediaType: string, children: Descriptor[], like: Descriptor): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(doc));
  const digest = digestOf(bytes);
  await writeBlob(client, bytes, { ref: `converted-${digest}`, expected: digest, size: bytes.length, labels: childrenLabels(children) });
  const out: Descriptor = { mediaType, digest, size: bytes.length };
  if (like.annotations) out.annotations = like.annotations;
  if (like.platform) out.platform = like.platform;
  return out;
}

async function convertManifest(client: Client, desc: Descriptor, opts: ConvertOptions): Promise<Descriptor> {
  const m = await readJSON<Manifest>(client, desc.digest);
  const layers: Descriptor[] = [];
  for (const l of m.layers ?? []) layers.push(await convertLayer(client, l, opts));
  let config = m.config;
  if (opts.oci && config.mediaType === MT_DOCKER_CONFIG) config = { ...config, mediaType: MT_OCI_CONFIG };
  const mediaType = opts.oci && desc.mediaType === MT_DOCKER_MANIFEST ? MT_OCI_MANIFEST : desc.mediaType;
  const same = mediaType === desc.mediaType && config === m.config && layers.every((l, i) => l === m.layers[i]);
  if (same) return desc;
  const doc: Record<string, unknown> = { schemaVersion: 2, mediaType };
  if (m.artifactType) doc.artifactType = m.artifactType;
  doc.config = descJSON(config);
  doc.layers = layers.map(descJSON);
  if (m.subject) doc.subject = m.subject;
  if (m.annotations) doc.annotations = m.annotations;
  return writeDoc(client, doc, mediaType, [config, ...layers], desc);
}

async function convertIndex(client: Client, desc: Descriptor, opts: ConvertOptions): Promise<Descriptor> {
  const idx = await readJSON<Index>(client, desc.digest);
  const wants = opts.platforms.map(normalizePlatform);
  const keep = (p?: Platform) => {
    if (opts.allPlatforms || !p) return true;
    const n = normalizePlatform(p);
    return wants.some((w) => w.os === n.os && w.architecture === n.architecture && (w.variant ?? '') === (n.variant ?? ''));
  };
  const manifests: Descriptor[] = [];
  let changed = false;
  for (const m of idx.manifests ?? []) {
    if (!keep(m.platform)) {
      changed = true;
      continue;
    }
    const c = await convertDesc(client, m, opts);
    if (c !== m) changed = true;
    manifests.push(c);
  }
  if (!manifests.length) throw new Error(`no manifest of ${desc.digest} matches the requested platforms: not found`);
  const mediaType = opts.oci && desc.mediaType === MT_DOCKER_MANIFEST_LIST ? MT_OCI_INDEX : desc.mediaType;
  if (!changed && mediaType === desc.mediaType) return desc;
  const doc: Record<string, unknown> = { schemaVersion: 2, mediaType, manifests: manifests.map(descJSON) };
  if (idx.annotations) doc.annotations = idx.annotations;
  return writeDoc(client, doc, mediaType, manifests, desc);
}

async function convertDesc(client: Client, desc: Descriptor, opts: ConvertOptions): Promise<Descriptor> {
  if (isIndex(desc.mediaType)) return convertIndex(client, desc, opts);
  if (isManifest(desc.mediaType)) return convertManifest(client, desc, opts);
  return desc;
}

/** Convert srcRef into dstRef (created or updated, keeping the source's labels); returns the new target. */
export async function convertImage(client: Client, srcRef: string, dstRef: string, opts: ConvertOptions): Promise<Descriptor> {
  return withTempLease(client, async () => {
    const src = await getImage(client, srcRef);
    const target = await convertDesc(client, apiToOci(src.target!), opts);
    const image = { name: dstRef, labels: src.labels, target: ociToApi(target) };
    const IMAGES = 'containerd.services.images.v1.Images' as const;
    try {
      await client.unary(IMAGES, 'Create', { image });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      try {
        await client.unary(IMAGES, 'Update', { image, update_mask: { paths: ['target', 'labels'] } });
      } catch (e) {
        if (isNotFound(e)) throw err;
        throw e;
      }
    }
    return target;
  });
}
