/**
 * What pull, push and content fetch do once their flags are parsed: pick the
 * client-side path or the Transfer service, wire progress, and turn registry
 * failures into one line that names the reference.
 */
import type { Client } from '../client/client';
import { credentialsFromFlags } from './credentials';
import { AuthError } from './auth';
import { NetworkError } from './http';
import { localPull, wantedPlatforms } from './pull';
import { localPush } from './push';
import { progressMode } from './progress';
import type { Reference } from './reference';
import { NotFoundError } from './registry';
import { mustParseReference, openRepository, type RemoteOptions } from './session';
import { transferPull, transferPush } from '../transfer/transfer';
import { TransferDisplay } from '../transfer/progress';
import { getImage } from '../images/image';
import { parsePlatform } from '../platforms';
import { RpcError } from '../errdefs';

export interface PullCommandOptions {
  transfer: boolean;
  remote: RemoteOptions;
  platforms: string[];
  allPlatforms: boolean;
  allMetadata: boolean;
  metadataOnly?: boolean;
  labels: Record<string, string>;
  snapshotter: string;
  /** --sync-fs (client path: the transfer service's unpack has no such setting). */
  syncFs?: boolean;
  printChainID?: boolean;
  maxConcurrentDownloads: number;
  quiet: boolean;
  unpack: boolean;
}

/** One line naming the reference, for registry and network failures. */
export function explain(ref: Reference | string, err: unknown): Error {
  const name = typeof ref === 'string' ? ref : ref.name;
  if (err instanceof NotFoundError) return new Error(err.message.startsWith(name) ? err.message : `${name}: ${err.message}`);
  if (err instanceof AuthError) return new Error(`${name}: ${err.message}`);
  if (err instanceof NetworkError) return new Error(`${name}: cannot reach the registry: ${err.message}`);
  if (err instanceof RpcError) return err;
  if (err instanceof Error && !err.message.startsWith(name)) err.message = `${name}: ${err.message}`;
  return err as Error;
}

/** A daemon-side transfer error, reworded like the client path's where the cause is clear. */
function explainTransfer(ref: Reference, err: unknown): Error {
  if (err instanceof RpcError) {
    const d = err.details;
    if (err.code === 5 /* NOT_FOUND */ && /not found/.test(d) && d.includes(ref.name)) return new Error(`${ref.name}: not found`);
    if (/401|unauthorized/i.test(d)) return new Error(`${ref.name}: unauthorized: ${d}`);
    return new Error(`${ref.name}: ${d}`);
  }
  return explain(ref, err);
}

/** images pull / content fetch. */
export async function pullCommand(client: Client, refArg: string, o: PullCommandOptions, print: (s: string) => void): Promise<void> {
  const ref = mustParseReference(refArg);
  const mode = progressMode(o.quiet);
  if (o.transfer) {
    const display = new TransferDisplay(mode, 'pull', ref.name);
    try {
      await transferPull(
        client,
        ref,
        {
          hostsDir: o.remote.hostsDir,
          plainHttp: o.remote.plainHttp,
          httpDump: o.remote.httpDump,
          httpTrace: o.remote.httpTrace,
          credentials: await credentialsFromFlags(o.remote),
        },
        {
          platforms: wantedPlatforms(o.platforms),
          allPlatforms: o.allPlatforms,
          allMetadata: o.allMetadata,
          labels: o.labels,
          snapshotter: o.snapshotter,
          unpack: o.unpack,
        },
        (e) => display.handle(e),
      );
    } catch (err) {
      display.abort();
      throw explainTransfer(ref, err);
    }
    display.finish();
    return;
  }
  const repo = await openRepository(ref, o.remote);
  try {
    await localPull(
      client,
      ref,
      repo,
      {
        platforms: o.platforms,
        allPlatforms: o.allPlatforms,
        allMetadata: o.allMetadata,
        metadataOnly: o.metadataOnly,
        labels: o.labels,
        maxConcurrentDownloads: o.maxConcurrentDownloads,
        unpack: o.unpack,
        snapshotter: o.snapshotter,
        syncFs: o.syncFs,
        printChainID: o.printChainID,
        progress: mode,
      },
      print,
    );
  } catch (err) {
    throw explain(ref, err);
  }
}

export interface PushCommandOptions {
  transfer: boolean;
  remote: RemoteOptions;
  platforms: string[];
  manifest?: string;
  manifestType?: string;
  maxConcurrentUploads: number;
  allowNonDistributable: boolean;
  quiet: boolean;
}

/** images push. */
export async function pushCommand(client: Client, remoteArg: string, localArg: string | undefined, o: PushCommandOptions): Promise<void> {
  const ref = mustParseReference(remoteArg);
  const local = localArg ?? ref.name;
  const mode = progressMode(o.quiet);
  if (o.transfer) {
    const display = new TransferDisplay(mode, 'push', ref.name);
    try {
      // Fail on a missing local image before any stream opens, with the client path's message.
      await getImage(client, local);
      await transferPush(
        client,
        ref,
        local,
        {
          hostsDir: o.remote.hostsDir,
          plainHttp: o.remote.plainHttp,
          httpDump: o.remote.httpDump,
          httpTrace: o.remote.httpTrace,
          credentials: await credentialsFromFlags(o.remote),
        },
        o.platforms.map(parsePlatform),
        (e) => display.handle(e),
      );
    } catch (err) {
      display.abort();
      if (err instanceof Error && /^image ".*": not found$/.test(err.message)) throw err;
      throw explainTransfer(ref, err);
    }
    display.finish();
    return;
  }
  const repo = await openRepository(ref, o.remote);
  try {
    await localPush(client, ref, repo, local, { ...o, progress: mode });
  } catch (err) {
    if (err instanceof Error && /^image ".*": not found$/.test(err.message)) throw err;
    throw explain(ref, err);
  }
}
