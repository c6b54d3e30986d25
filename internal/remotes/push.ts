/**
 * The client-side push (ctr 1.x, ctr 2.x --local): walk the local image from
 * the content store (only the selected platforms' manifests), upload configs
 * and layers concurrently (HEAD first to skip what the registry has, a
 * cross-repository mount when the blob came from another repository on the
 * same registry, else POST + a streamed PUT), then the manifests and indexes,
 * children before parents, byte for byte as stored.
 */
import type { Client } from '../client/client';
import { isNotFound } from '../errdefs';
import { info, readAll, readBlob } from '../content/store';
import { Descriptor, Index, Manifest, getImage, imageTarget, isIndex, isManifest, isNonDistributable } from '../images/image';
import { platformMatcher } from '../platforms';
import { wantedPlatforms } from './pull';
import { ProgressBoard, type ProgressMode } from './progress';
import { hostWithoutPort, refKey, type Reference } from './reference';
import type { Repository } from './registry';
import { Limiter, readAhead } from './streams';
import { closeAgents } from './http';

export interface LocalPushOptions {
  platforms: string[];
  manifest?: string;
  manifestType?: string;
  maxConcurrentUploads: number;
  allowNonDistributable: boolean;
  progress: ProgressMode;
}

interface Plan {
  blobs: Descriptor[];
  /** Manifests and indexes, children before parents, each with its stored bytes. */
  manifests: { desc: Descriptor; body: Buffer }[];
}

/** The blobs and manifests to push under root, filtered by platform. */
async function plan(client: Client, root: Descriptor, platforms: string[], allowND: boolean): Promise<Plan> {
  const match = platforms.length ? wantedPlatforms(platforms).map(platformMatcher) : undefined;
  const blobs = new Map<string, Descriptor>();
  const manifests: { desc: Descriptor; body: Buffer }[] = [];
  const seen = new Set<string>();
  const visit = async (desc: Descriptor): Promise<void> => {
    if (seen.has(desc.digest)) return;
    seen.add(desc.digest);
    if (isIndex(desc.mediaType) || isManifest(desc.mediaType)) {
      let body: Buffer;
      try {
        body = await readAll(client, desc.digest);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        throw new Error(`content ${desc.digest} (${refKey(desc.mediaType, desc.digest).split('-')[0]}) is not in the content store: only part of the image is stored locally (push with --platform)`);
      }
      const doc = JSON.parse(body.toString('utf8')) as Manifest & Index;
      if (isIndex(desc.mediaType)) {
        for (const m of doc.manifests ?? []) {
          if (match && m.platform && !match.some((f) => f(m.platform!))) continue;
          await visit(m);
        }
      } else {
        for (const c of [doc.config, ...(doc.layers ?? [])]) {
          if (!allowND && (isNonDistributable(c.mediaType) || c.urls?.length)) continue;
          blobs.set(c.digest, c);
        }
      }
      manifests.push({ desc, body });
    } else {
      blobs.set(desc.digest, desc);
    }
  };
  await visit(root);
  return { blobs: [...blobs.values()], manifests };
}

/** Another repository on the same registry this blob came from (distribution.source label), for a mount. */
async function mountSource(client: Client, repo: Repository, digest: string): Promise<string | undefined> {
  const i = await info(client, digest);
  const from = i.labels?.[`containerd.io/distribution.source.${hostWithoutPort(repo.ref.domain)}`];
  if (!from) return undefined;
  // The label may list several repositories; any other than the target will do.
  return from.split(',').find((r) => r && r !== repo.ref.path);
}

/** Push local image `localName` (or --manifest) to ref. */
export async function localPush(client: Client, ref: Reference, repo: Repository, localName: string, opts: LocalPushOptions): Promise<void> {
  let root: Descriptor;
  if (opts.manifest) {
    const i = await info(client, opts.manifest);
    root = { mediaType: opts.manifestType || 'application/vnd.oci.image.manifest.v1+json', digest: opts.manifest, size: Number(i.size) };
  } else {
    root = imageTarget(await getImage(client, localName));
  }
  const board = new ProgressBoard(opts.progress);
  try {
    const p = await plan(client, root, opts.platforms, opts.allowNonDistributable);
    for (const m of p.manifests) board.update(refKey(m.desc.mediaType, m.desc.digest), 'waiting');
    const limiter = new Limiter(opts.maxConcurrentUploads);
    await Promise.all(
      p.blobs.map((b) => {
        const key = refKey(b.mediaType, b.digest);
        board.update(key, 'waiting', 0, b.size);
        return limiter.run(async () => {
          if (await repo.exists(b)) {
            board.update(key, 'exists', b.size, b.size);
            return;
          }
          let sent = 0;
          const body = () =>
            (async function* () {
              sent = 0;
              for await (const chunk of readAhead(readBlob(client, b.digest), { chunk: 1 << 20, ahead: 4 << 20 })) {
                sent += chunk.length;
                board.addTransferred(chunk.length);
                board.update(key, 'uploading', sent, b.size);
                yield chunk;
              }
            })();
          board.update(key, 'uploading', 0, b.size);
          const how = await repo.pushBlob(b, body, await mountSource(client, repo, b.digest));
          board.update(key, how === 'mounted' ? 'mounted' : 'done', b.size, b.size);
        });
      }),
    );
    // Parents last, so the registry can check that every reference exists.
    for (let i = 0; i < p.manifests.length; i++) {
      const { desc, body } = p.manifests[i];
      const key = refKey(desc.mediaType, desc.digest);
      const isRoot = i === p.manifests.length - 1;
      if (!isRoot && (await repo.exists(desc))) {
        board.update(key, 'exists', desc.size, desc.size);
        continue;
      }
      board.update(key, 'uploading', 0, desc.size);
      await repo.putManifest(desc, body, isRoot && ref.tag && !ref.digest ? ref.tag : desc.digest);
      board.addTransferred(body.length);
      board.update(key, 'done', desc.size, desc.size);
    }
    board.finish();
  } catch (err) {
    board.abort();
    throw err;
  } finally {
    closeAgents();
  }
}
