/**
 * The whole of `images import` on the client path: under one temporary lease,
 * read the archive, unpack every named image, and only then create or update
 * the image records. Interrupted at any point before the records, nothing is
 * named and everything written is held only by the expiring lease; the next
 * run resumes partial ingests and completes.
 */
import type { Readable } from 'stream';
import type { Client } from '../client/client';
import { isNotFound } from '../errdefs';
import { setLabels, info } from '../content/store';
import { GC_EXPIRE_LABEL, expiryLabel, randomLeaseID, withTempLease } from '../leases/temp-lease';
import { ociToApi, resolveManifest } from '../images/image';
import type { Platform } from '../platforms';
import type { ProgressDisplay } from '../progress/display';
import { unpackImage } from '../unpack/unpack';
import { ImportOptions, ImportedImage, importArchive } from './import';

export interface ImportImagesOptions extends ImportOptions {
  noUnpack?: boolean;
  snapshotter?: string;
  /** Labels for the image records (ctr 2.x --label). */
  labels?: Record<string, string>;
  /** Drop the layers' gc references after unpacking (ctr 2.x --discard-unpacked-layers). */
  discardUnpackedLayers?: boolean;
  syncFs?: boolean;
  progress?: ProgressDisplay;
  /** Where the "unpacking <name> (<digest>)...done" lines go. */
  write: (text: string) => void;
}

const IMAGES = 'containerd.services.images.v1.Images' as const;

/** Import, unpack and name; returns the images named. */
export async function importImages(client: Client, input: Readable, opts: ImportImagesOptions): Promise<ImportedImage[]> {
  try {
    return await importUnderLease(client, input, opts);
  } catch (err) {
    // The lease is gone; collect what it held now, so a failed import leaves nothing to see.
    await collectGarbage(client).catch(() => undefined);
    throw err;
  }
}

/** Ask for a synchronous garbage collection (create and sync-delete a throwaway lease, as ctr's prune does). */
export async function collectGarbage(client: Client): Promise<void> {
  const id = randomLeaseID();
  await client.unary('containerd.services.leases.v1.Leases', 'Create', { id, labels: { [GC_EXPIRE_LABEL]: expiryLabel(3600_000) } }, { lease: null });
  await client.unary('containerd.services.leases.v1.Leases', 'Delete', { id, sync: true }, { lease: null });
}

async function importUnderLease(client: Client, input: Readable, opts: ImportImagesOptions): Promise<ImportedImage[]> {
  return withTempLease(client, async () => {
    const { images } = await importArchive(client, input, opts);
    opts.progress?.stop();
    if (!opts.noUnpack) {
      const platform: Platform | undefined = opts.platform;
      for (const img of images) {
        opts.write(`unpacking ${img.name} (${img.target.digest})...`);
        await unpackImage(client, img.target, { snapshotter: opts.snapshotter, platform, syncFs: opts.syncFs });
        if (opts.discardUnpackedLayers) await discardLayerRefs(client, img.target, platform);
        opts.write('done\n');
      }
    }
    for (const img of images) await saveImage(client, img, opts.labels);
    return images;
  });
}

/** Images.Update of the target (and labels), or Create when there is no such image (ctr's order). */
async function saveImage(client: Client, img: ImportedImage, labels?: Record<string, string>): Promise<void> {
  const image = { name: img.name, target: ociToApi(img.target), labels: labels ?? {} };
  const paths = ['target', ...Object.keys(labels ?? {}).map((k) => `labels.${k}`)];
  try {
    await client.unary(IMAGES, 'Update', { image, update_mask: { paths } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.unary(IMAGES, 'Create', { image });
  }
}

/** Remove the layer references from the manifest once its snapshots exist, so the blobs can be collected. */
async function discardLayerRefs(client: Client, target: ImportedImage['target'], platform?: Platform): Promise<void> {
  const r = await resolveManifest(client, target, platform);
  const cur = await info(client, r.manifestDesc.digest);
  const drop: Record<string, string> = {};
  for (const k of Object.keys(cur.labels)) if (k.startsWith('containerd.io/gc.ref.content.l.')) drop[k] = '';
  if (Object.keys(drop).length) await setLabels(client, r.manifestDesc.digest, drop);
}
