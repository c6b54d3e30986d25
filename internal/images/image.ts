/**
 * Images as containerd's client sees them: OCI/Docker media types, descriptors
 * in their JSON form, walking an image's index/manifest/config graph through
 * the Content service, and picking the manifest for a platform.
 */
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { readJSON } from '../content/store';
import { isNotFound } from '../errdefs';
import { Platform, defaultPlatform, formatPlatform, normalizePlatform, platformMatcher, platformRank } from '../platforms';

/** An OCI descriptor in its JSON form (as found in manifests and indexes). */
export type Descriptor = {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
};

/** An image record as the Images service returns it. */
export type ApiImage = containerd.services.images.v1.Image;
/** A descriptor as the API carries it (size as an int64 string). */
export type ApiDescriptor = containerd.types.Descriptor;

export const MT_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MT_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MT_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MT_OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
export const MT_OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const MT_OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
export const MT_OCI_LAYER_ND = 'application/vnd.oci.image.layer.nondistributable.v1.tar';
export const MT_OCI_LAYER_ND_GZIP = 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip';
export const MT_OCI_LAYER_ND_ZSTD = 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd';
export const MT_DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MT_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MT_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const MT_DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar';
export const MT_DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
export const MT_DOCKER_LAYER_ZSTD = 'application/vnd.docker.image.rootfs.diff.tar.zstd';
export const MT_DOCKER_LAYER_FOREIGN = 'application/vnd.docker.image.rootfs.foreign.diff.tar';
export const MT_DOCKER_LAYER_FOREIGN_GZIP = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
export const MT_DOCKER_SCHEMA1_MANIFEST = 'application/vnd.docker.distribution.manifest.v1+prettyjws';

/** Annotation naming an image inside an OCI layout's index.json. */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
/** containerd's annotation carrying the full image name in its exports. */
export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';

/** True for index-like media types (OCI index, Docker manifest list). */
export const isIndex = (mt: string) => mt === MT_OCI_INDEX || mt === MT_DOCKER_MANIFEST_LIST;
/** True for single-platform manifests (OCI or Docker schema 2). */
export const isManifest = (mt: string) => mt === MT_OCI_MANIFEST || mt === MT_DOCKER_MANIFEST;
/** True for image configs. */
export const isConfig = (mt: string) => mt === MT_OCI_CONFIG || mt === MT_DOCKER_CONFIG;
/** True for layer media types (containerd's images.IsLayerType), with any compression suffix. */
export function isLayer(mt: string): boolean {
  if (mt.startsWith('application/vnd.oci.image.layer.')) return true;
  return mt.startsWith('application/vnd.docker.image.rootfs.');
}
/** True for layers marked non-distributable (foreign Windows layers and the like). */
export function isNonDistributable(mt: string): boolean {
  return mt.startsWith('application/vnd.oci.image.layer.nondistributable.') || mt.startsWith('application/vnd.docker.image.rootfs.foreign.');
}
/** The compression of a layer media type. */
export function layerCompression(mt: string): 'gzip' | 'zstd' | 'none' {
  if (mt.endsWith('+gzip') || mt.endsWith('.gzip')) return 'gzip';
  if (mt.endsWith('+zstd') || mt.endsWith('.zstd')) return 'zstd';
  return 'none';
}

/** An OCI image manifest (or Docker schema 2). */
export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
  subject?: Descriptor;
  artifactType?: string;
}

/** An OCI image index (or Docker manifest list). */
export interface Index {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** The parts of an OCI image config ctrx reads. */
export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
  created?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Volumes?: Record<string, object>;
    WorkingDir?: string;
    Labels?: Record<string, string>;
    StopSignal?: string;
    ArgsEscaped?: boolean;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: unknown[];
}

/** No manifest of an image matches the wanted platform (containerd answers ErrNotFound). */
export class ManifestNotFoundError extends Error {
  readonly notFound = true;
}

/** True for "not found" from the daemon or from resolving a manifest. */
export const isMissing = (err: unknown) => isNotFound(err) || err instanceof ManifestNotFoundError;

/** Run fn over items with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A manifest chosen for a platform, with its config. */
export interface ResolvedManifest {
  manifestDesc: Descriptor;
  manifest: Manifest;
  configDesc: Descriptor;
  config: ImageConfig;
}

/** API descriptor → OCI JSON descriptor. */
export function apiToOci(desc: ApiDescriptor | { media_type: string; digest: string; size: string | number; annotations?: Record<string, string> }): Descriptor {
  const d: Descriptor = { mediaType: desc.media_type, digest: desc.digest, size: Number(desc.size) };
  if (desc.annotations && Object.keys(desc.annotations).length) d.annotations = { ...desc.annotations };
  return d;
}

/** OCI JSON descriptor → API descriptor (platform and urls have no place in the API form). */
export function ociToApi(desc: Descriptor): ApiDescriptor {
  return { media_type: desc.mediaType, digest: desc.digest, size: String(desc.size), annotations: { ...(desc.annotations ?? {}) } };
}

/** Images.Get; a missing image gives `image "<name>": not found`. */
export async function getImage(client: Client, name: string): Promise<ApiImage> {
  try {
    const res = await client.unary('containerd.services.images.v1.Images', 'Get', { name });
    return res.image!;
  } catch (err) {
    if (isNotFound(err)) throw new Error(`image "${name}": not found`);
    throw err;
  }
}

/** The image's target as an OCI descriptor. */
export function imageTarget(image: ApiImage | Descriptor): Descriptor {
  if ('mediaType' in image) return image;
  if (!image.target) throw new Error(`image "${image.name}" has no target`);
  return apiToOci(image.target);
}

/** Read and parse a manifest or index, checking the media type inside agrees. */
export async function readManifestOrIndex(client: Client, desc: Descriptor): Promise<Manifest | Index> {
  const doc = await readJSON<Manifest & Index>(client, desc.digest);
  if (isIndex(desc.mediaType) && !Array.isArray(doc.manifests)) throw new Error(`${desc.digest}: not an index`);
  if (isManifest(desc.mediaType) && !doc.config) throw new Error(`${desc.digest}: not a manifest`);
  return doc;
}

/** The direct children of a descriptor (containerd's images.Children): manifests of an index; config and layers of a manifest. */
export async function children(client: Client, desc: Descriptor): Promise<Descriptor[]> {
  if (isIndex(desc.mediaType)) return [...((await readManifestOrIndex(client, desc)) as Index).manifests];
  if (isManifest(desc.mediaType)) {
    const m = (await readManifestOrIndex(client, desc)) as Manifest;
    return [m.config, ...(m.layers ?? [])];
  }
  return [];
}

/** Platform of a config document, normalised. */
export function configPlatform(cfg: ImageConfig): Platform {
  return normalizePlatform({ os: cfg.os, architecture: cfg.architecture, variant: cfg.variant });
}

/**
 * Pick the manifest for `platform` (default: this host) under target, as
 * containerd's images.Manifest does: index entries that match the platform,
 * best first (entries without a platform are tried last); a lone manifest
 * must have a matching config.
 */
export async function resolveManifest(client: Client, target: ApiImage | Descriptor, platform?: Platform): Promise<ResolvedManifest> {
  const root = imageTarget(target);
  const want = platform ?? defaultPlatform();
  const matches = platformMatcher(want);
  const rank = platformRank(want);
  const visit = async (desc: Descriptor, depth: number): Promise<ResolvedManifest | undefined> => {
    if (depth > 8) throw new Error(`${root.digest}: index nesting too deep`);
    if (isIndex(desc.mediaType)) {
      const idx = (await readManifestOrIndex(client, desc)) as Index;
      const candidates = (idx.manifests ?? []).filter((d) => !d.platform || matches(d.platform));
      candidates.sort((a, b) => (a.platform ? rank(a.platform) : Infinity) - (b.platform ? rank(b.platform) : Infinity));
      for (const c of candidates) {
        const r = await visit(c, depth + 1);
        if (r) return r;
      }
      return undefined;
    }
    if (isManifest(desc.mediaType)) {
      if (desc.platform && !matches(desc.platform)) return undefined;
      const manifest = (await readManifestOrIndex(client, desc)) as Manifest;
      const config = await readJSON<ImageConfig>(client, manifest.config.digest);
      if (!desc.platform && config.os && !matches(configPlatform(config))) return undefined;
      return { manifestDesc: desc, manifest, configDesc: manifest.config, config };
    }
    if (desc.mediaType === MT_DOCKER_SCHEMA1_MANIFEST) throw new Error(`${desc.digest}: Docker schema 1 manifests are not supported`);
    return undefined;
  };
  const found = await visit(root, 0);
  if (!found) throw new ManifestNotFoundError(`no manifest for platform ${formatPlatform(normalizePlatform(want))} in ${root.digest}: not found`);
  return found;
}

/** The image config (the parsed JSON document) for a platform. */
export async function imageConfig(client: Client, target: ApiImage | Descriptor, platform?: Platform): Promise<ImageConfig> {
  return (await resolveManifest(client, target, platform)).config;
}

/**
 * The platforms an image offers (containerd's images.Platforms): the platform
 * of each index entry, or the config's os/architecture for a lone manifest;
 * sorted, de-duplicated, formatted.
 */
export async function imagePlatforms(client: Client, target: ApiImage | Descriptor): Promise<string[]> {
  const found = new Set<string>();
  const visit = async (desc: Descriptor): Promise<void> => {
    if (desc.platform) {
      if (desc.platform.os === 'unknown' || desc.platform.architecture === 'unknown') return; // attestations
      found.add(formatPlatform(desc.platform));
      return;
    }
    if (isConfig(desc.mediaType)) {
      const cfg = await readJSON<ImageConfig>(client, desc.digest);
      found.add(formatPlatform(normalizePlatform({ os: cfg.os, architecture: cfg.architecture })));
      return;
    }
    if (isIndex(desc.mediaType) || isManifest(desc.mediaType)) {
      for (const c of await children(client, desc)) await visit(c);
    }
  };
  await visit(imageTarget(target));
  return [...found].sort();
}

/**
 * ctr's image.Size: the target, the best manifest for the platform (default:
 * this host), its config and layers, summed. Like ctr, a walk that fails half
 * way (missing content) yields what was summed so far, with `complete` false.
 */
export async function imageSizeDetailed(client: Client, target: ApiImage | Descriptor, platform?: Platform): Promise<{ size: number; complete: boolean }> {
  const want = platform ?? defaultPlatform();
  const matches = platformMatcher(want);
  const rank = platformRank(want);
  let size = 0;
  const visit = async (desc: Descriptor): Promise<void> => {
    size += desc.size;
    if (isIndex(desc.mediaType)) {
      const idx = (await readManifestOrIndex(client, desc)) as Index;
      const kept = (idx.manifests ?? []).filter((d) => !d.platform || matches(d.platform));
      // LimitManifests: sorted best first (no platform last), only the first kept.
      kept.sort((a, b) => (a.platform ? rank(a.platform) : Infinity) - (b.platform ? rank(b.platform) : Infinity));
      for (const c of kept.slice(0, 1)) await visit(c);
    } else if (isManifest(desc.mediaType)) {
      const m = (await readManifestOrIndex(client, desc)) as Manifest;
      for (const c of [m.config, ...(m.layers ?? [])]) await visit(c);
    }
  };
  try {
    await visit(imageTarget(target));
    return { size, complete: true };
  } catch (err) {
    if (isNotFound(err)) return { size, complete: false };
    throw err;
  }
}

/** ctr's image.Size for a platform (default: this host). */
export async function imageSize(client: Client, target: ApiImage | Descriptor, platform?: Platform): Promise<number> {
  return (await imageSizeDetailed(client, target, platform)).size;
}

/** Every descriptor reachable from target (index, manifests, configs, layers), each once, parents first. */
export async function walkAll(client: Client, target: Descriptor, filter?: (d: Descriptor, parent?: Descriptor) => boolean): Promise<Descriptor[]> {
  const seen = new Set<string>();
  const outList: Descriptor[] = [];
  const visit = async (desc: Descriptor, parent?: Descriptor): Promise<void> => {
    if (filter && !filter(desc, parent)) return;
    if (seen.has(desc.digest)) return;
    seen.add(desc.digest);
    outList.push(desc);
    for (const c of await children(client, desc)) await visit(c, desc);
  };
  await visit(target);
  return outList;
}
