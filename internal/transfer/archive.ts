/**
 * images import, export and tag through the daemon's Transfer service (ctr
 * 2.x's default path). Import streams the archive to the daemon over a
 * Streaming stream (ImageImportStream → ImageStore, which names, labels and
 * unpacks); export asks for an ImageExportStream and writes the tar the daemon
 * streams back; tag is ImageStore → ImageStore. All run under a temporary
 * lease that goes with a synchronous collection on failure, so a failed
 * transfer leaves nothing behind.
 */
import type { Client } from '../client/client';
import { withTempLease } from '../leases/temp-lease';
import { needsRelease } from '../client/features';
import { packAny } from '../typeurl';
import { defaultPlatform, type Platform } from '../platforms';
import { defaultBaseName } from '../archive/import';
import { StreamEndedError, TarEnd, openStream, receiveBytes, sendBytes, type NamedStream } from './streaming';
import type { ProgressEvent } from './transfer';

const TRANSFER = 'containerd.services.transfer.v1.Transfer' as const;
const apiPlatform = (p: Platform) => ({ os: p.os, architecture: p.architecture, variant: p.variant ?? '' });

/** Open a stream, naming the Transfer path in the error when the daemon has no Streaming service. */
function open(client: Client, purpose: string): Promise<NamedStream> {
  return needsRelease(client, 'the Transfer service path (--local=false)', '1.7', () => openStream(client, purpose));
}

/**
 * One Transfer call under a temporary lease, with a progress stream when asked
 * and `alongside` (moving the archive bytes) running next to it; the streams
 * are closed afterwards, and on failure the lease goes with a synchronous GC.
 */
async function transferCall(
  client: Client,
  source: object,
  destination: object,
  onProgress?: (e: ProgressEvent) => void,
  alongside?: { stream: NamedStream; run: () => Promise<unknown>; finish?: boolean },
): Promise<void> {
  const leaseOpts = { sync: false };
  await withTempLease(
    client,
    async () => {
      const progress = onProgress ? await open(client, 'progress') : undefined;
      const events = progress
        ? (async () => {
            for await (const m of progress.messages()) {
              if (m.typeName === 'containerd.types.transfer.Progress') onProgress!(m.value as unknown as ProgressEvent);
            }
          })().catch(() => undefined)
        : undefined;
      // If moving the bytes fails (an unreadable input, a full disk), the stream is
      // cancelled so that the daemon gives up too, and that failure is the one reported.
      let movingErr: unknown;
      const moving = alongside?.run().catch((e) => {
        movingErr = e;
        alongside.stream.close();
      });
      try {
        await needsRelease(client, 'the Transfer service path (--local=false)', '1.7', () =>
          client.unary(TRANSFER, 'Transfer', {
            source: source as never,
            destination: destination as never,
            options: progress ? { progress_stream: progress.id } : {},
          }),
        );
        // Export: the tar may still be arriving. Import: the daemon has read all it
        // needs (maybe not the tar's trailing padding), so the sender just stops.
        if (alongside?.finish) await moving;
        if (movingErr && !(movingErr instanceof StreamEndedError)) throw movingErr;
      } catch (err) {
        leaseOpts.sync = true;
        // The daemon's own error explains a stream it closed early.
        throw movingErr && !(movingErr instanceof StreamEndedError) ? movingErr : err;
      } finally {
        alongside?.stream.close();
        // The last progress events trail the call's answer a little.
        if (events) await Promise.race([events, new Promise((r) => setTimeout(r, 150))]);
        progress?.close();
      }
    },
    leaseOpts,
  );
}

export interface TransferImportOptions {
  /** Keep the archive's index under this name (--index-name). */
  indexName?: string;
  /** --base-name: only names under it, bare tags get it prepended; default import-<date>, overwritable. */
  baseName?: string;
  digests?: boolean;
  skipDigestForNamed?: boolean;
  allPlatforms?: boolean;
  platform?: Platform;
  noUnpack?: boolean;
  snapshotter?: string;
  labels?: Record<string, string>;
  /** Gzip uncompressed docker layers (--compress-blobs). */
  compress?: boolean;
}

/** The ImageStore destination ctr 2.x builds from its import flags. */
export function importStore(o: TransferImportOptions): Record<string, unknown> {
  const prefix = o.baseName || defaultBaseName();
  // Without --base-name the generated prefix may be replaced by names the archive carries.
  const overwrite = !o.baseName;
  const ref = o.digests
    ? { name: prefix, is_prefix: true, allow_overwrite: overwrite, add_digest: true, skip_named_digest: !!o.skipDigestForNamed }
    : { name: prefix, is_prefix: true, allow_overwrite: overwrite };
  const platform = o.platform ?? defaultPlatform();
  return {
    name: o.indexName ?? '',
    labels: o.labels ?? {},
    // No platforms means all of them.
    platforms: o.allPlatforms ? [] : [apiPlatform(platform)],
    extra_references: [ref],
    unpacks: o.noUnpack ? [] : [{ platform: apiPlatform(o.allPlatforms ? defaultPlatform() : platform), snapshotter: o.snapshotter ?? '' }],
  };
}

/** Import an archive (bytes of a file or stdin) through the daemon. */
export async function transferImport(
  client: Client,
  input: AsyncIterable<Buffer>,
  o: TransferImportOptions,
  onProgress?: (e: ProgressEvent) => void,
  onSent?: (n: number) => void,
): Promise<void> {
  const stream = await open(client, 'import');
  try {
    await transferCall(
      client,
      packAny('containerd.types.transfer.ImageImportStream', { stream: stream.id, media_type: '', force_compress: !!o.compress }),
      packAny('containerd.types.transfer.ImageStore', importStore(o)),
      onProgress,
      { stream, run: () => sendBytes(stream, input, onSent) },
    );
  } finally {
    stream.close();
  }
}

export interface TransferExportOptions {
  platforms?: Platform[];
  allPlatforms?: boolean;
  skipManifestJson?: boolean;
  skipNonDistributable?: boolean;
}

/** Export images through the daemon; the tar it streams back is written to `sink` (left open). */
export async function transferExport(client: Client, names: string[], sink: NodeJS.WritableStream, o: TransferExportOptions): Promise<void> {
  const stream = await open(client, 'export');
  try {
    await transferCall(
      client,
      packAny('containerd.types.transfer.ImageStore', { extra_references: names.map((name) => ({ name })) }),
      packAny('containerd.types.transfer.ImageExportStream', {
        stream: stream.id,
        media_type: '',
        platforms: (o.platforms ?? []).map(apiPlatform),
        all_platforms: !!o.allPlatforms,
        skip_compatibility_manifest: !!o.skipManifestJson,
        skip_non_distributable: !!o.skipNonDistributable,
      }),
      () => undefined,
      {
        stream,
        run: () => {
          const end = new TarEnd();
          return receiveBytes(stream, sink, { complete: (chunk) => end.push(chunk) });
        },
        finish: true,
      },
    );
  } finally {
    stream.close();
  }
}

/** Tag: the daemon copies the source image's target to a new (or replaced) record. */
export async function transferTag(client: Client, source: string, target: string): Promise<void> {
  await transferCall(client, packAny('containerd.types.transfer.ImageStore', { name: source }), packAny('containerd.types.transfer.ImageStore', { name: target }));
}
