/**
 * Fetching an image graph from a registry into containerd's content store, as
 * containerd's client-side Fetch does: the root, then (for the wanted
 * platforms) manifests, configs and layers, concurrently; each blob streamed
 * straight from HTTP into Content.Write under its ref key (layer-sha256:…),
 * verified for digest and size, committed with the labels ctr sets
 * (gc.ref.content.* children and containerd.io/distribution.source.<host>).
 */
import { createHash } from 'crypto';
import type { Client } from '../client/client';
import { abortIngest, infoIfExists, readAll, setLabels, writeBlob } from '../content/store';
import { Descriptor, Index, Manifest, isConfig, isIndex, isLayer, isManifest } from '../images/image';
import { formatPlatform, platformMatcher, type Platform } from '../platforms';
import type { ProgressBoard } from './progress';
import { hostWithoutPort, refKey } from './reference';
import { MAX_MANIFEST_BYTES, type Repository } from './registry';
import { Limiter, readAhead } from './streams';
import { readBody } from './http';

export interface FetchOptions {
  /** Platforms whose manifests (and layers) are fetched; 'all' for every one. */
  platforms: Platform[] | 'all';
  /** Also fetch manifests and configs of the other platforms (no layers). */
  allMetadata?: boolean;
  /** Fetch manifests and configs only. */
  metadataOnly?: boolean;
  /** Parallel blob downloads (0: no limit). */
  maxConcurrent?: number;
  progress?: ProgressBoard;
}

/** containerd's gc.ref.content label prefix for a child, by media type (SetChildrenMappedLabels). */
function childLabelKind(mt: string): string {
  if (isManifest(mt) || isIndex(mt)) return 'm';
  if (isConfig(mt)) return 'config';
  if (isLayer(mt)) return 'l';
  return '';
}

/** The gc.ref.content.* labels of a parent for its children, numbered per kind from 0. */
export function childrenLabels(children: Descriptor[]): Record<string, string> {
  const labels: Record<string, string> = {};
  const counts: Record<string, number> = {};
  for (const c of children) {
    const kind = childLabelKind(c.mediaType);
    if (kind === 'config') {
      labels['containerd.io/gc.ref.content.config'] = c.digest;
      continue;
    }
    const n = counts[kind] ?? 0;
    counts[kind] = n + 1;
    labels[kind ? `containerd.io/gc.ref.content.${kind}.${n}` : `containerd.io/gc.ref.content.${n}`] = c.digest;
  }
  return labels;
}

/** containerd.io/distribution.source.<host>=<repository>, as ctr marks fetched blobs. */
export function distributionLabel(repo: Repository): Record<string, string> {
  return { [`containerd.io/distribution.source.${hostWithoutPort(repo.ref.domain)}`]: repo.ref.path };
}

/** A parsed manifest's or index's children. */
function childrenOf(desc: Descriptor, doc: Manifest & Index): Descriptor[] {
  if (isIndex(desc.mediaType)) return [...(doc.manifests ?? [])];
  if (isManifest(desc.mediaType)) return [doc.config, ...(doc.layers ?? [])].filter(Boolean);
  return [];
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Fetches one image graph; shared state keeps each blob fetched once. */
export class ImageFetcher {
  private readonly limiter: Limiter;
  private readonly started = new Map<string, Promise<void>>();
  private readonly docs = new Map<string, Promise<Manifest & Index>>();
  private readonly match?: (p: Platform) => boolean;
  private readonly dist: Record<string, string>;

  constructor(
    private readonly client: Client,
    private readonly repo: Repository,
    private readonly opts: FetchOptions,
  ) {
    this.limiter = new Limiter(opts.maxConcurrent ?? 0);
    if (opts.platforms !== 'all') {
      const ms = opts.platforms.map(platformMatcher);
      this.match = (p) => ms.some((m) => m(p));
    }
    this.dist = distributionLabel(repo);
  }

  /** Fetch root and everything below it that the options select. */
  async fetch(root: Descriptor): Promise<void> {
    await this.visit(root, true, true);
  }

  private visit(desc: Descriptor, wanted: boolean, isRoot = false): Promise<void> {
    const key = isManifest(desc.mediaType) || isIndex(desc.mediaType) ? `${desc.digest}|${wanted}` : desc.digest;
    let p = this.started.get(key);
    if (!p) {
      p = this.visitOnce(desc, wanted, isRoot);
      this.started.set(key, p);
    }
    return p;
  }

  private async visitOnce(desc: Descriptor, wanted: boolean, isRoot: boolean): Promise<void> {
    if (isManifest(desc.mediaType) || isIndex(desc.mediaType)) {
      let docP = this.docs.get(desc.digest);
      if (!docP) {
        docP = this.fetchManifest(desc);
        this.docs.set(desc.digest, docP);
      }
      const doc = await docP;
      let kids = childrenOf(desc, doc);
      if (isIndex(desc.mediaType)) {
        const selected = kids.map((k) => ({ k, wanted: !this.match || !k.platform || this.match(k.platform) }));
        if (isRoot && this.match && !selected.some((s) => s.wanted)) {
          const names = (this.opts.platforms as Platform[]).map(formatPlatform).join(', ');
          throw new Error(`no manifest for platform ${names} in ${desc.digest}: not found`);
        }
        await Promise.all(selected.filter((s) => s.wanted || this.opts.allMetadata).map((s) => this.visit(s.k, s.wanted)));
        return;
      }
      // A manifest: its config always; its layers only for a wanted platform and unless metadata only.
      if (!wanted || this.opts.metadataOnly) kids = kids.filter((k) => !isLayer(k.mediaType) || isConfig(k.mediaType));
      if (!wanted) kids = kids.filter((k) => isConfig(k.mediaType));
      await Promise.all(kids.map((k) => this.visit(k, wanted)));
      return;
    }
    await this.fetchBlob(desc);
  }

  /** A manifest or index: small, so read whole, verified, written with its children's labels. */
  private async fetchManifest(desc: Descriptor): Promise<Manifest & Index> {
    const key = refKey(desc.mediaType, desc.digest);
    const pb = this.opts.progress;
    return this.limiter.run(async () => {
      let body: Buffer;
      const have = await infoIfExists(this.client, desc.digest);
      if (have) {
        body = await readAll(this.client, desc.digest);
      } else {
        pb?.update(key, 'downloading', 0, desc.size);
        const res = await this.repo.fetch(desc);
        body = await readBody(res, MAX_MANIFEST_BYTES);
        pb?.addTransferred(body.length);
        const got = sha256(body);
        if (got !== desc.digest || body.length !== desc.size) {
          throw new Error(`${key}: the registry sent ${body.length} bytes with digest ${got}, expected ${desc.size} bytes with digest ${desc.digest}`);
        }
      }
      let doc: Manifest & Index;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch {
        throw new Error(`${key}: not valid JSON`);
      }
      const labels = { ...childrenLabels(childrenOf(desc, doc)), ...this.dist };
      if (have) await setLabels(this.client, desc.digest, labels);
      else await writeBlob(this.client, body, { ref: key, expected: desc.digest, size: desc.size, labels });
      pb?.update(key, have ? 'exists' : 'done', desc.size, desc.size);
      return doc;
    });
  }

  /** A config or layer: streamed from HTTP into Content.Write, resuming a partial ingest. */
  private async fetchBlob(desc: Descriptor): Promise<void> {
    const key = refKey(desc.mediaType, desc.digest);
    const pb = this.opts.progress;
    pb?.update(key, 'waiting', 0, desc.size);
    await this.limiter.run(async () => {
      const have = await infoIfExists(this.client, desc.digest);
      if (have) {
        if (have.labels?.[Object.keys(this.dist)[0]] !== Object.values(this.dist)[0]) await setLabels(this.client, desc.digest, this.dist);
        pb?.update(key, 'exists', desc.size, desc.size);
        return;
      }
      const res = await this.repo.fetch(desc);
      pb?.update(key, 'downloading', 0, desc.size);
      let last = 0;
      const count = async function* (src: AsyncIterable<Buffer>) {
        for await (const b of src) {
          pb?.addTransferred(b.length);
          yield b;
        }
      };
      try {
        await writeBlob(this.client, readAhead(count(res), { maxBytes: desc.size, what: key }), {
          ref: key,
          expected: desc.digest,
          size: desc.size,
          labels: this.dist,
          onProgress: (n) => {
            last = n;
            pb?.update(key, 'downloading', n, desc.size);
          },
        });
      } catch (err) {
        res.destroy();
        const msg = (err as Error).message;
        // Bad bytes must not be resumed from: drop the ingest.
        if (/unexpected (digest|size)|unexpected commit|more than the expected/.test(msg)) {
          await abortIngest(this.client, key).catch(() => undefined);
          const m = /unexpected digest (\S+), expected (\S+)/.exec(msg);
          if (m) throw new Error(`${key}: digest mismatch: the registry sent content with digest ${m[1].replace(/,$/, '')}`);
          const s = /unexpected size (\d+), expected (\d+)/.exec(msg);
          if (s) throw new Error(`${key}: size mismatch: the registry sent ${s[1]} bytes, expected ${s[2]}`);
          throw new Error(msg.startsWith(key) ? msg : `${key}: ${msg}`);
        }
        throw err;
      }
      pb?.update(key, 'done', Math.max(last, desc.size), desc.size);
    });
  }
}
