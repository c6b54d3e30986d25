/**
 * Single objects to and from a registry, without containerd: fetch-object
 * and fetch-blob write the bytes to stdout (the digest checked at the end),
 * push-object uploads one stored blob under the given media type.
 */
import { createHash } from 'crypto';
import type { Client } from '../client/client';
import { info, readAll, readBlob } from '../content/store';
import { isIndex, isManifest, type Descriptor } from '../images/image';
import { closeAgents } from './http';
import type { Repository } from './registry';
import { readAhead } from './streams';

/** Copy a fetched object to out, verifying its digest (and size when known) once all bytes are through. */
export async function streamObject(repo: Repository, desc: Descriptor, out: NodeJS.WritableStream): Promise<void> {
  const res = await repo.fetch(desc);
  const hash = createHash(desc.digest.split(':')[0] === 'sha512' ? 'sha512' : 'sha256');
  let n = 0;
  for await (const chunk of readAhead(res, { chunk: 1 << 20, ahead: 4 << 20, maxBytes: desc.size || undefined, what: desc.digest })) {
    hash.update(chunk);
    n += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  const got = `${desc.digest.split(':')[0]}:${hash.digest('hex')}`;
  if (got !== desc.digest) throw new Error(`${desc.digest}: digest mismatch: the registry sent content with digest ${got}`);
  if (desc.size && n !== desc.size) throw new Error(`${desc.digest}: size mismatch: got ${n} bytes, expected ${desc.size}`);
}

/** fetch-object: resolve the reference (or take the given digest) and copy it to out. */
export async function fetchObject(repo: Repository, digest: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  try {
    const desc = digest ? { mediaType: 'application/octet-stream', digest, size: 0 } : await repo.resolve();
    await streamObject(repo, desc, out);
  } finally {
    closeAgents();
  }
}

/** fetch-blob: each digest's blob to out, in order. */
export async function fetchBlobs(repo: Repository, digests: string[], mediaType: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  try {
    for (const d of digests) await streamObject(repo, { mediaType: mediaType || 'application/octet-stream', digest: d, size: 0 }, out);
  } finally {
    closeAgents();
  }
}

/** push-object: upload one stored blob as `mediaType` (manifests go under the reference's tag). */
export async function pushObject(client: Client, repo: Repository, digest: string, mediaType: string): Promise<Descriptor> {
  try {
    const i = await info(client, digest);
    const desc: Descriptor = { mediaType, digest, size: Number(i.size) };
    if (isManifest(mediaType) || isIndex(mediaType)) {
      await repo.putManifest(desc, await readAll(client, digest), repo.ref.tag && !repo.ref.digest ? repo.ref.tag : digest);
    } else if (!(await repo.exists(desc))) {
      await repo.pushBlob(desc, () => readAhead(readBlob(client, digest), { chunk: 1 << 20, ahead: 4 << 20 }));
    }
    return desc;
  } finally {
    closeAgents();
  }
}
