/**
 * Exporting images as an OCI layout tar with a docker-compatible
 * manifest.json, laid out as containerd's archive.Export does (same entries,
 * same index.json and manifest.json content, entries sorted by name), with
 * every blob streamed from Content.Read into the tar with backpressure and
 * its digest checked on the way.
 */
import type { Writable } from 'stream';
import * as tar from 'tar-stream';
import { createHash } from 'crypto';
import type { Client } from '../client/client';
import { infoIfExists, readBlob } from '../content/store';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  Descriptor,
  Index,
  Manifest,
  MT_OCI_INDEX,
  apiToOci,
  children,
  getImage,
  isIndex,
  isManifest,
  isNonDistributable,
  mapLimit,
} from '../images/image';
import { readJSON } from '../content/store';
import { familiarRef, ociReferenceName } from '../images/reference';
import { Platform, defaultPlatform, normalizePlatform } from '../platforms';
import type { ProgressDisplay } from '../progress/display';
import { writeWithBackpressure } from './stream-util';

export interface ExportOptions {
  /** Platforms to export (exact match); default: this host's platform only. */
  platforms?: Platform[];
  allPlatforms?: boolean;
  skipManifestJson?: boolean;
  skipNonDistributable?: boolean;
  progress?: ProgressDisplay;
}

interface TarRecord {
  name: string;
  mode: number;
  type: 'file' | 'directory';
  /** Inline content (small files). */
  data?: Buffer;
  /** Or a blob to stream. */
  blob?: Descriptor;
}

/** Descriptor JSON with containerd's field order (for identical index.json bytes). */
function descJSON(d: Descriptor): Record<string, unknown> {
  const o: Record<string, unknown> = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.urls?.length) o.urls = d.urls;
  if (d.annotations && Object.keys(d.annotations).length) {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(d.annotations).sort()) sorted[k] = d.annotations[k];
    o.annotations = sorted;
  }
  if (d.platform) o.platform = d.platform;
  return o;
}

const blobPath = (digest: string) => `blobs/${digest.replace(':', '/')}`;

/** Exact-match platform filter in the order given (platforms.Ordered); default: the host, strictly. */
function exportMatcher(platforms: Platform[]): { match: (p: Platform) => boolean; rank: (p: Platform) => number } {
  const wants = platforms.map(normalizePlatform);
  const idx = (p: Platform) => {
    const n = normalizePlatform(p);
    return wants.findIndex((w) => w.os === n.os && w.architecture === n.architecture && (w.variant ?? '') === (n.variant ?? ''));
  };
  return { match: (p) => idx(p) >= 0, rank: (p) => idx(p) };
}

/** Plan the archive: every record, in containerd's order and with its content. */
export async function planExport(client: Client, names: string[], platforms: Platform[], opts: ExportOptions): Promise<TarRecord[]> {
  const { match, rank } = exportMatcher(platforms);
  const records: TarRecord[] = [];
  const algorithms = new Set<string>();
  const keep = (d: Descriptor) => !(opts.skipNonDistributable && isNonDistributable(d.mediaType));
  const addBlob = (d: Descriptor) => {
    algorithms.add(d.digest.split(':')[0]);
    if (keep(d)) records.push({ name: blobPath(d.digest), mode: 0o444, type: 'file', blob: d });
  };
  const walk = async (d: Descriptor): Promise<void> => {
    addBlob(d);
    for (const c of await children(client, d)) await walk(c);
  };
  const targets: Descriptor[] = [];
  for (const name of names) {
    const img = await getImage(client, name);
    const t = apiToOci(img.target!);
    t.annotations = { ...(t.annotations ?? {}), [ANNOTATION_IMAGE_NAME]: name, [ANNOTATION_REF_NAME]: ociReferenceName(name) };
    targets.push(t);
  }
  const dockerManifests = new Map<string, { manifest: Descriptor; names: string[] }>();
  const resolvedIndex = new Map<string, string>();
  for (const desc of targets) {
    const name = desc.annotations![ANNOTATION_IMAGE_NAME];
    if (isManifest(desc.mediaType)) {
      let mt = dockerManifests.get(desc.digest);
      if (!mt) {
        await walk(desc);
        mt = { manifest: desc, names: [] };
        dockerManifests.set(desc.digest, mt);
      }
      if (name && !opts.skipManifestJson) mt.names.push(name);
    } else if (isIndex(desc.mediaType)) {
      let d = resolvedIndex.get(desc.digest);
      if (d === undefined) {
        addBlob(desc);
        const index = await readJSON<Index>(client, desc.digest);
        const picked: Descriptor[] = [];
        for (const m of index.manifests ?? []) {
          if (!m.platform || match(m.platform)) picked.push(m);
          else if (!opts.allPlatforms) continue;
          await walk(m);
        }
        d = '';
        if (!opts.skipManifestJson) {
          if (!picked.length) throw new Error(`image "${name}": no manifest found for platform ${platforms.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/')).join(', ')}: not found`);
          const sorted = picked.map((m, i) => ({ m, i })).sort((a, b) => {
            const ra = a.m.platform ? rank(a.m.platform) : Infinity;
            const rb = b.m.platform ? rank(b.m.platform) : Infinity;
            return ra - rb || a.i - b.i;
          });
          d = sorted[0].m.digest;
          if (!dockerManifests.has(d)) dockerManifests.set(d, { manifest: sorted[0].m, names: [] });
        }
        resolvedIndex.set(desc.digest, d);
      }
      if (d && name) dockerManifests.get(d)!.names.push(name);
    } else {
      throw new Error(`image "${name}": only manifests may be exported (${desc.mediaType}): invalid argument`);
    }
  }
  records.push({ name: 'oci-layout', mode: 0o444, type: 'file', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) });
  // containerd 2.x writes the index's mediaType, 1.x does not: follow the daemon's line.
  const version = (await client.unary('containerd.services.version.v1.Version', 'Version', {})).version;
  const head = /^v?1\./.test(version) ? { schemaVersion: 2 } : { schemaVersion: 2, mediaType: MT_OCI_INDEX };
  records.push({ name: 'index.json', mode: 0o644, type: 'file', data: Buffer.from(JSON.stringify({ ...head, manifests: targets.map(descJSON) })) });
  if (dockerManifests.size) {
    const entries = [];
    for (const { manifest, names: tags } of dockerManifests.values()) {
      const m = await readJSON<Manifest>(client, manifest.digest);
      entries.push({
        Config: blobPath(m.config.digest),
        RepoTags: tags.length ? tags.map(familiarRef) : null,
        Layers: (m.layers ?? []).length ? m.layers.map((l) => blobPath(l.digest)) : null,
      });
    }
    records.push({ name: 'manifest.json', mode: 0o644, type: 'file', data: Buffer.from(JSON.stringify(entries)) });
  }
  if (algorithms.size) {
    records.push({ name: 'blobs/', mode: 0o755, type: 'directory' });
    for (const a of algorithms) records.push({ name: `blobs/${a}/`, mode: 0o755, type: 'directory' });
  }
  records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return records.filter((r, i) => i === 0 || records[i - 1].name !== r.name);
}

/** Check that every blob is in the store before a byte is written. */
async function checkPresent(client: Client, records: TarRecord[]): Promise<void> {
  await mapLimit(records.filter((r) => r.blob), 8, async (r) => {
    if (!(await infoIfExists(client, r.blob!.digest))) throw new Error(`content ${r.blob!.digest} (${r.blob!.mediaType}) is not in the content store: not found`);
  });
}

/** Write the images as a tar to `out` (which is left open: the caller ends or closes it). */
export async function exportImages(client: Client, names: string[], out: Writable, opts: ExportOptions = {}): Promise<void> {
  const platforms = opts.platforms?.length ? opts.platforms : [defaultPlatform()];
  const records = await planExport(client, names, platforms, opts);
  await checkPresent(client, records);
  const progress = opts.progress;
  const pack = tar.pack();
  // The tar stream is drained into `out` as it is produced; the producer waits on its backpressure.
  const done = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) await writeWithBackpressure(out, chunk);
  })();
  done.catch(() => pack.destroy());
  const mtime = new Date(0);
  for (const r of records) {
    if (r.type === 'directory') {
      pack.entry({ name: r.name, type: 'directory', mode: r.mode, mtime });
      continue;
    }
    if (r.data) {
      pack.entry({ name: r.name, type: 'file', mode: r.mode, mtime, size: r.data.length }, r.data);
      continue;
    }
    const d = r.blob!;
    const key = d.digest;
    progress?.set(key, { status: 'writing', offset: 0, total: d.size });
    const sink = pack.entry({ name: r.name, type: 'file', mode: r.mode, mtime, size: d.size });
    const finished = new Promise<void>((resolve, reject) => {
      sink.once('error', reject);
      sink.once('finish', () => resolve());
    });
    const hash = createHash(d.digest.split(':')[0]);
    let n = 0;
    for await (const chunk of readBlob(client, d.digest)) {
      hash.update(chunk);
      n += chunk.length;
      if (n > d.size) throw new Error(`blob ${d.digest} is larger than its descriptor says (${d.size} bytes)`);
      await writeWithBackpressure(sink as unknown as Writable, chunk);
      progress?.set(key, { status: 'writing', offset: n, total: d.size });
    }
    const got = `${d.digest.split(':')[0]}:${hash.digest('hex')}`;
    if (n !== d.size) throw new Error(`unexpected copy size for ${r.name}: ${n} of ${d.size} bytes`);
    if (got !== d.digest) throw new Error(`unexpected digest ${got} copied for ${d.digest}`);
    (sink as unknown as Writable).end();
    await finished;
    progress?.set(key, { status: 'done', offset: n, total: d.size });
  }
  pack.finalize();
  await done;
}
