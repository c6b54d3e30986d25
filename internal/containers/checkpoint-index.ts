/**
 * The checkpoint image format ctr writes: an OCI index whose entries are the
 * parts of a checkpoint (criu dump, container config, runtime and checkpoint
 * options, the rw layer, the image's own target), told apart by media type,
 * with the image name, runtime and snapshotter in the index's annotations.
 * The index JSON is written the way Go's encoding/json writes image-spec's
 * structs (field order, omitempty, sorted map keys), so the same parts give
 * the same digest as ctr's.
 */
import { protobuf } from '../api/registry';
import type { Client } from '../client/client';
import { writeBlob, readAll } from '../content/store';
import type { Descriptor } from '../images/image';
import { defaultPlatform } from '../platforms';

/** containerd's checkpoint media types. */
export const MT = {
  criu: 'application/vnd.containerd.container.criu.checkpoint.criu.tar',
  config: 'application/vnd.containerd.container.checkpoint.config.v1+proto',
  options: 'application/vnd.containerd.container.checkpoint.options.v1+proto',
  runtimeOptions: 'application/vnd.containerd.container.checkpoint.runtime.options+proto',
  /** The rw layer is found by the layer type the differ gives it. */
  rwLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  index: 'application/vnd.oci.image.index.v1+json',
} as const;

/** Index annotations containers checkpoint sets and restore reads. */
export const ANN = {
  imageName: 'org.opencontainers.image.ref.name',
  runtime: 'io.containerd.checkpoint.runtime',
  snapshotter: 'io.containerd.checkpoint.snapshotter',
} as const;

/** A checkpoint index as JSON. */
export interface CheckpointIndex {
  schemaVersion: 2;
  manifests: Descriptor[];
  annotations: Record<string, string>;
}

/** The client's platform, as Go's runtime.GOOS/GOARCH give it (no variant). */
export function hostPlatform(): { os: string; architecture: string } {
  const p = defaultPlatform();
  return { os: p.os, architecture: p.architecture };
}

const sortedMap = (m: Record<string, string> | undefined) =>
  m && Object.keys(m).length ? Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]])) : undefined;

function descriptorJSON(d: Descriptor): Record<string, unknown> {
  const p = d.platform as (Descriptor['platform'] & { 'os.version'?: string; 'os.features'?: string[] }) | undefined;
  return {
    mediaType: d.mediaType || undefined,
    digest: d.digest,
    size: d.size,
    urls: d.urls?.length ? d.urls : undefined,
    annotations: sortedMap(d.annotations),
    platform: p
      ? { architecture: p.architecture, os: p.os, 'os.version': p['os.version'] || undefined, 'os.features': p['os.features']?.length ? p['os.features'] : undefined, variant: p.variant || undefined }
      : undefined,
  };
}

/** The index as Go's json.Marshal writes it (no trailing newline). */
export function encodeIndex(index: CheckpointIndex): Buffer {
  // An empty list is Go's nil slice: null.
  const doc = { schemaVersion: 2, manifests: index.manifests.length ? index.manifests.map(descriptorJSON) : null, annotations: sortedMap(index.annotations) };
  return Buffer.from(JSON.stringify(doc));
}

/** Write one part (ctr's writeContent): the blob under `ref`, its descriptor back. */
export async function writePart(client: Client, mediaType: string, ref: string, data: Buffer, labels?: Record<string, string>): Promise<Descriptor> {
  const r = await writeBlob(client, data, { ref, labels });
  return { mediaType, digest: r.digest, size: data.length };
}

/** Write the index with a gc reference to each part, so the parts live as long as it does. */
export async function writeIndex(client: Client, index: CheckpointIndex, ref: string): Promise<Descriptor> {
  const labels: Record<string, string> = {};
  index.manifests.forEach((m, i) => (labels[`containerd.io/gc.ref.content.${i}`] = m.digest));
  return writePart(client, MT.index, ref, encodeIndex(index), labels);
}

/** google.protobuf.Any in its wire form (what ctr stores for the config and options parts). */
export function encodeAny(typeUrl: string, value: Buffer): Buffer {
  const w = protobuf.Writer.create();
  if (typeUrl) w.uint32(10).string(typeUrl);
  if (value.length) w.uint32(18).bytes(value);
  return Buffer.from(w.finish());
}

/** Decode an Any from its wire form. */
export function decodeAny(data: Buffer): { type_url: string; value: Buffer } {
  const r = protobuf.Reader.create(data);
  let type_url = '';
  let value = Buffer.alloc(0);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 10) type_url = r.string();
    else if (tag === 18) value = Buffer.from(r.bytes());
    else r.skipType(tag & 7);
  }
  return { type_url, value };
}

/** The first entry of a media type (containerd's GetIndexByMediaType). */
export function partOf(index: CheckpointIndex, mediaType: string): Descriptor | undefined {
  return index.manifests.find((m) => m.mediaType === mediaType);
}

/** Read a checkpoint image's index. */
export async function readIndex(client: Client, target: Descriptor): Promise<CheckpointIndex> {
  const doc = JSON.parse((await readAll(client, target.digest)).toString('utf8'));
  return { schemaVersion: 2, manifests: doc.manifests ?? [], annotations: doc.annotations ?? {} };
}
