/**
 * The client-side pull and content fetch (ctr 1.x, and ctr 2.x --local):
 * resolve, fetch the selected graph into the content store, create or update
 * the image record and, for pull, unpack each platform, all under one
 * temporary lease. On failure the lease is dropped with a synchronous garbage
 * collection, so nothing of the image is left behind; if the process is
 * killed, the lease expires and re-running resumes the partial ingests.
 */
import type { Client } from '../client/client';
import { isAlreadyExists } from '../errdefs';
import { withTempLease } from '../leases/temp-lease';
import { ApiImage, Descriptor, imagePlatforms, ociToApi, resolveManifest } from '../images/image';
import { unpackImage } from '../unpack/unpack';
import { defaultPlatform, formatPlatform, parsePlatform, type Platform } from '../platforms';
import { ImageFetcher } from './fetch-image';
import { ProgressBoard, type ProgressMode } from './progress';
import type { Reference } from './reference';
import type { Repository } from './registry';
import { closeAgents } from './http';

export interface LocalPullOptions {
  platforms: string[];
  allPlatforms: boolean;
  allMetadata: boolean;
  metadataOnly?: boolean;
  labels: Record<string, string>;
  maxConcurrentDownloads: number;
  /** Unpack (pull) or only fetch (content fetch). */
  unpack: boolean;
  snapshotter?: string;
  /** --sync-fs: the differ syncs the filesystem after applying each layer. */
  syncFs?: boolean;
  printChainID?: boolean;
  progress: ProgressMode;
}

/** Create the image record, or replace it when the name exists (ctr's createNewImage). */
export async function createOrUpdateImage(client: Client, name: string, target: Descriptor, labels: Record<string, string>): Promise<ApiImage> {
  const image = { name, target: ociToApi(target), labels };
  try {
    return (await client.unary('containerd.services.images.v1.Images', 'Create', { image })).image!;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return (await client.unary('containerd.services.images.v1.Images', 'Update', { image })).image!;
  }
}

/** Parse --platform values (none: this host). */
export function wantedPlatforms(values: string[]): Platform[] {
  const ps = values.map(parsePlatform);
  return ps.length ? ps : [defaultPlatform()];
}

/** Pull (or fetch) ref from repo into the daemon; prints ctr's progress and unpack lines. */
export async function localPull(client: Client, ref: Reference, repo: Repository, opts: LocalPullOptions, print: (s: string) => void): Promise<ApiImage> {
  const started = Date.now();
  const platforms = wantedPlatforms(opts.platforms);
  const board = new ProgressBoard(opts.progress);
  board.update(ref.name, 'resolving');
  const leaseOpts = { sync: false };
  try {
    const root = await repo.resolve();
    board.update(ref.name, 'resolved');
    const image = await withTempLease(
      client,
      async () => {
        try {
          const fetcher = new ImageFetcher(client, repo, {
            platforms: opts.allPlatforms ? 'all' : platforms,
            allMetadata: opts.allMetadata,
            metadataOnly: opts.metadataOnly,
            maxConcurrent: opts.maxConcurrentDownloads,
            progress: board,
          });
          await fetcher.fetch(root);
          const unpackFor = opts.allPlatforms ? (await imagePlatforms(client, root)).map(parsePlatform) : platforms;
          // Every platform asked for must be there before the image record is made.
          if (opts.unpack && !opts.allPlatforms) for (const p of unpackFor) await resolveManifest(client, root, p);
          const img = await createOrUpdateImage(client, ref.name, root, opts.labels);
          board.finish();
          if (opts.unpack) {
            for (const p of unpackFor) {
              print(`unpacking ${formatPlatform(p)} ${root.digest}...\n`);
              const r = await unpackImage(client, root, { snapshotter: opts.snapshotter, platform: p, syncFs: opts.syncFs });
              if (opts.printChainID) print(`image chain ID: ${r.chainID}\n`);
            }
            print(`done: ${goDuration(Date.now() - started)}\t\n`);
          }
          return img;
        } catch (err) {
          // Drop everything fetched so far now, not in 24 hours.
          leaseOpts.sync = true;
          throw err;
        }
      },
      leaseOpts,
    );
    return image;
  } catch (err) {
    board.abort();
    throw err;
  } finally {
    closeAgents();
  }
}

/** A duration as Go's time.Duration prints it (ms precision is enough here). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${+s.toFixed(3)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${+(s - m * 60).toFixed(3)}s`;
}
