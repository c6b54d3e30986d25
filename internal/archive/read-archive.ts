/**
 * Reading an image archive (OCI layout or `docker save`) from a stream into
 * the content store, as containerd's archive.ImportIndex does, but streaming:
 * each tar entry goes straight into Content.Write in chunks, with the tar
 * parser paused until the daemon has taken the bytes. Only small JSON files
 * are held in memory. The result is the descriptor of the archive's index
 * (index.json for OCI, an index written here for docker archives).
 */
import type { Readable } from 'stream';
import { createGzip } from 'zlib';
import * as tar from 'tar-stream';

/** A tar entry as tar-stream hands it out: its header and its bytes. */
type TarEntry = AsyncIterable<Buffer> & { header: tar.Header; resume(): void };
import type { Client } from '../client/client';
import { abortIngest, infoIfExists, readBlob, writeBlob } from '../content/store';
import { digestOf } from '../images/digest';
import {
  Descriptor,
  MT_DOCKER_CONFIG,
  MT_DOCKER_LAYER,
  MT_DOCKER_LAYER_GZIP,
  MT_DOCKER_LAYER_ZSTD,
  MT_DOCKER_MANIFEST,
  MT_OCI_INDEX,
  configPlatform,
  ImageConfig,
} from '../images/image';
import { normalizeRef, ociReferenceName } from '../images/reference';
import type { ProgressDisplay } from '../progress/display';
import { UNCOMPRESSED_LABEL } from '../unpack/unpack';

/** JSON documents (oci-layout, index.json, manifest.json, configs) are limited like ctr's (20 MiB). */
const JSON_LIMIT = 20 << 20;
/** Files up to this size are kept in memory and written only if the image refers to them. */
const SMALL_FILE = 256 << 10;
/** ...as long as all of them together stay under this. */
const SMALL_TOTAL = 32 << 20;

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export interface ReadArchiveOptions {
  /** Gzip uncompressed docker layers (ctr's --compress-blobs). */
  compress?: boolean;
  progress?: ProgressDisplay;
}

export interface ArchiveIndex {
  /** The archive's index as a content descriptor (written to the store). */
  index: Descriptor;
  /** Its bytes (small), so the caller need not read it back. */
  indexBytes: Buffer;
}

/** A file of the archive: written to the store, or (small) still in memory. */
interface FileBlob {
  digest: string;
  size: number;
  data?: Buffer;
}

function cleanName(name: string): string {
  const parts: string[] = [];
  for (const p of name.split('/')) {
    if (!p || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

async function readSmall(entry: TarEntry, name: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of entry) {
    n += chunk.length;
    if (n > JSON_LIMIT) throw new Error(`${name} in the archive is larger than ${JSON_LIMIT} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function parseJSON<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (e) {
    throw new Error(`untar ${what}: ${(e as Error).message}`);
  }
}

/** Write an in-memory file to the store if it is not there yet. */
async function persist(client: Client, name: string, f: FileBlob): Promise<void> {
  if (!f.data) return;
  await writeBlob(client, f.data, { ref: `tar-${name}`, expected: f.digest, size: f.size });
  f.data = undefined;
}

/** Read the archive stream into the content store; call it under a lease. */
export async function readArchive(client: Client, input: Readable, opts: ReadArchiveOptions = {}): Promise<ArchiveIndex> {
  const extract = tar.extract();
  const files = new Map<string, FileBlob>();
  const symlinks = new Map<string, string>();
  let layout: { imageLayoutVersion?: string } | undefined;
  let dockerManifests: DockerManifestEntry[] | undefined;
  let inMemory = 0;
  const progress = opts.progress;

  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const source of extract) {
      const entry = source as unknown as TarEntry;
      const h = entry.header;
      const name = cleanName(h.name);
      if (h.type === 'symlink' && h.linkname) {
        symlinks.set(name, cleanName(`${name.split('/').slice(0, -1).join('/')}/${h.linkname}`));
      }
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      const size = h.size ?? 0;
      if (name === 'oci-layout') {
        layout = parseJSON(await readSmall(entry, name), `oci layout "${h.name}"`);
      } else if (name === 'manifest.json') {
        dockerManifests = parseJSON(await readSmall(entry, name), `manifest "${h.name}"`);
      } else if (size <= SMALL_FILE && inMemory + size <= SMALL_TOTAL) {
        const data = await readSmall(entry, name);
        inMemory += data.length;
        const digest = digestOf(data);
        const m = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name);
        if (m && `${m[1]}:${m[2]}` !== digest) throw new Error(`blob ${name} in the archive has digest ${digest}, not ${m[1]}:${m[2]}`);
        files.set(name, { digest, size: data.length, data });
      } else {
        files.set(name, await ingestEntry(client, entry, name, size, progress));
      }
    }
  } catch (err) {
    input.unpipe(extract as unknown as NodeJS.WritableStream);
    input.destroy();
    const msg = (err as Error).message;
    if (/unexpected end of data|invalid tar header|not a tar|invalid header/i.test(msg)) throw new Error(`reading archive: ${msg} (truncated or not a tar archive)`);
    throw err;
  }
  if (layout && layout.imageLayoutVersion !== undefined && layout.imageLayoutVersion !== '') {
    if (layout.imageLayoutVersion !== '1.0.0') throw new Error(`unsupported OCI version ${layout.imageLayoutVersion}`);
    const idx = files.get('index.json');
    if (!idx) throw new Error('missing index.json in OCI layout 1.0.0');
    const indexBytes = idx.data ?? (await collect(readBlob(client, idx.digest)));
    for (const [n, f] of files) {
      // Blobs the index reaches are written by the walk that follows; write them all now, as ctr does.
      if (n.startsWith('blobs/') || n === 'index.json') await persist(client, n, f);
    }
    return { index: { mediaType: MT_OCI_INDEX, digest: idx.digest, size: idx.size }, indexBytes };
  }
  if (!dockerManifests) throw new Error('unrecognized image format (neither an OCI layout nor a docker save archive)');
  for (const [link, target] of symlinks) {
    const f = files.get(target);
    if (!f) throw new Error(`no target for symlink layer from "${link}" to "${target}"`);
    files.set(link, f);
  }
  return writeDockerIndex(client, dockerManifests, files, opts);
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts);
}

/** Stream one tar entry into the store; a blob the store already has is skipped (drained). */
async function ingestEntry(client: Client, entry: TarEntry, name: string, size: number, progress?: ProgressDisplay): Promise<FileBlob> {
  const m = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name);
  const expected = m ? `${m[1]}:${m[2]}` : undefined;
  const key = expected ?? name;
  if (expected && (await infoIfExists(client, expected))) {
    progress?.set(key, { status: 'exists', offset: size, total: size });
    for await (const _ of entry) void _; // drain: the daemon has it already
    return { digest: expected, size };
  }
  const ref = `tar-${name}`;
  progress?.set(key, { status: 'reading', offset: 0, total: size });
  try {
    const res = await writeBlob(client, entry as AsyncIterable<Buffer>, {
      ref,
      expected,
      size,
      onProgress: (n) => progress?.set(key, { status: 'reading', offset: n, total: size }),
    });
    progress?.set(key, { status: res.existed ? 'exists' : 'done', offset: size, total: size });
    return { digest: res.digest, size: res.size || size };
  } catch (err) {
    // Bytes that do not match can never be committed; drop the partial ingest.
    if (/unexpected (digest|size)/.test((err as Error).message)) {
      await abortIngest(client, ref).catch(() => undefined);
      throw new Error(`blob ${name} in the archive is corrupt: ${(err as Error).message.replace(/^content write [^:]*: /, '')}`);
    }
    throw err;
  }
}

/** Read the first bytes of a blob (for compression detection). */
async function head(client: Client, digest: string, n = 10): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of readBlob(client, digest, { offset: 0, size: n })) parts.push(b);
  return Buffer.concat(parts).subarray(0, n);
}

function layerTypeOf(magic: Buffer): string {
  if (magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b) return MT_DOCKER_LAYER_GZIP;
  if (magic.length >= 4 && magic.readUInt32LE(0) === 0xfd2fb528) return MT_DOCKER_LAYER_ZSTD;
  return MT_DOCKER_LAYER;
}

/** The docker archive's layers as descriptors (ctr's resolveLayers), compressing when asked. */
async function resolveLayers(client: Client, layerFiles: string[], files: Map<string, FileBlob>, opts: ReadArchiveOptions): Promise<Descriptor[]> {
  const layers: Descriptor[] = [];
  for (const f of layerFiles) {
    const blob = files.get(f);
    if (!blob) throw new Error(`failed to resolve layers: layer "${f}" not found`);
    await persist(client, f, blob);
    // A compressed blob of this layer already in the store is used instead, as ctr does.
    let found: Descriptor | undefined;
    for await (const m of client.serverStream('containerd.services.content.v1.Content', 'List', { filters: [`labels."${UNCOMPRESSED_LABEL}"==${blob.digest}`] })) {
      for (const info of m.info) {
        if (found) continue;
        found = { mediaType: layerTypeOf(await head(client, info.digest)), digest: info.digest, size: Number(info.size) };
      }
    }
    if (found) {
      layers.push(found);
      continue;
    }
    const mt = blob.size ? layerTypeOf(await head(client, blob.digest)) : MT_DOCKER_LAYER;
    if (mt === MT_DOCKER_LAYER && opts.compress) {
      layers.push(await compressLayer(client, blob));
    } else {
      layers.push({ mediaType: mt, digest: blob.digest, size: blob.size });
    }
  }
  return layers;
}

/** Gzip a stored uncompressed layer into a new blob labelled with its uncompressed digest. */
async function compressLayer(client: Client, blob: FileBlob): Promise<Descriptor> {
  const gz = createGzip();
  const feed = (async () => {
    try {
      for await (const chunk of readBlob(client, blob.digest)) {
        if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
      }
      gz.end();
    } catch (err) {
      gz.destroy(err as Error);
    }
  })();
  const res = await writeBlob(client, gz, {
    ref: `compress-blob-sha256-${blob.digest.slice(7)}`,
    labels: { [UNCOMPRESSED_LABEL]: blob.digest },
  });
  await feed;
  return { mediaType: MT_DOCKER_LAYER_GZIP, digest: res.digest, size: res.size };
}

/** Write small JSON as a blob and describe it. */
async function writeJSONBlob(client: Client, doc: unknown, mediaType: string): Promise<{ desc: Descriptor; bytes: Buffer }> {
  const bytes = Buffer.from(JSON.stringify(doc));
  const digest = digestOf(bytes);
  await writeBlob(client, bytes, { ref: `manifest-${digest}`, expected: digest, size: bytes.length });
  return { desc: { mediaType, digest, size: bytes.length }, bytes };
}

/** Docker archives: a docker schema 2 manifest per manifest.json entry, and an index naming them by RepoTags. */
async function writeDockerIndex(client: Client, entries: DockerManifestEntry[], files: Map<string, FileBlob>, opts: ReadArchiveOptions): Promise<ArchiveIndex> {
  const manifests: Descriptor[] = [];
  for (const e of entries) {
    const cfg = files.get(cleanName(e.Config));
    if (!cfg) throw new Error(`image config "${e.Config}" not found`);
    const cfgData = cfg.data ?? (await collect(readBlob(client, cfg.digest)));
    await persist(client, cleanName(e.Config), cfg);
    const layers = await resolveLayers(client, (e.Layers ?? []).map(cleanName), files, opts);
    // Field order matters: the manifest's digest should equal the one ctr writes.
    const manifest = {
      schemaVersion: 2,
      mediaType: MT_DOCKER_MANIFEST,
      config: { mediaType: MT_DOCKER_CONFIG, digest: cfg.digest, size: cfg.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
    const { desc } = await writeJSONBlob(client, manifest, MT_DOCKER_MANIFEST);
    const config = parseJSON<ImageConfig>(cfgData, `config ${e.Config}`);
    const p = configPlatform(config);
    const platform = { architecture: p.architecture, os: p.os };
    const tags = e.RepoTags ?? [];
    if (!tags.length) manifests.push({ ...desc, platform });
    for (const tag of tags) {
      const name = normalizeRef(tag);
      manifests.push({
        ...desc,
        annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': ociReferenceName(name) },
        platform,
      });
    }
  }
  const ordered = manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size, ...(m.annotations ? { annotations: m.annotations } : {}), platform: m.platform }));
  const { desc, bytes } = await writeJSONBlob(client, { schemaVersion: 2, manifests: ordered }, MT_OCI_INDEX);
  return { index: desc, indexBytes: bytes };
}
