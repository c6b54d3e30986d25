/**
 * Pull and push through the daemon's Transfer service (ctr 2.x's default
 * path): the daemon talks to the registry; ctrx sends an OCIRegistry and an
 * ImageStore, answers the daemon's credential requests on an auth stream,
 * copies HTTP debug logs to stderr and hands progress events to a display.
 * host_dir is read by the daemon, on the daemon's filesystem.
 */
import type { Client } from '../client/client';
import { withTempLease } from '../leases/temp-lease';
import { needsRelease } from '../client/features';
import { packAny } from '../typeurl';
import type { CredentialsFn } from '../remotes/auth';
import { hostWithoutPort, type Reference } from '../remotes/reference';
import type { Platform } from '../platforms';
import { getImage, resolveManifest } from '../images/image';
import { openStream, type NamedStream } from './streaming';

/** A progress event from the daemon (containerd.types.transfer.Progress). */
export interface ProgressEvent {
  event: string;
  name: string;
  parents: string[];
  progress: number;
  total: number;
  desc?: { media_type: string; digest: string; size: string } | null;
}

export interface RegistrySettings {
  hostsDir?: string;
  plainHttp?: boolean;
  httpDump?: boolean;
  httpTrace?: boolean;
  credentials: CredentialsFn;
}

const HTTP_DEBUG = (dump?: boolean, trace?: boolean) => (dump && trace ? 'BOTH' : dump ? 'DEBUG' : trace ? 'TRACE' : 'DISABLED');

const apiPlatform = (p: Platform) => ({ os: p.os, architecture: p.architecture, variant: p.variant ?? '' });

/** Answer the daemon's AuthRequests with our credentials (flags or Docker config), until the stream ends. */
async function serveCredentials(stream: NamedStream, creds: CredentialsFn, ref: Reference): Promise<void> {
  for await (const m of stream.messages()) {
    if (m.typeName !== 'containerd.types.transfer.AuthRequest') continue;
    const host = String(m.value.host || ref.domain);
    const c = creds(host) ?? creds(ref.domain) ?? creds(hostWithoutPort(host));
    const resp = !c
      ? { authType: 'NONE' }
      : c.username
        ? { authType: 'CREDENTIALS', username: c.username, secret: c.secret }
        : { authType: 'REFRESH', secret: c.secret };
    await stream.send('containerd.types.transfer.AuthResponse', resp);
  }
}

/** Copy the daemon's HTTP debug log stream (Data messages) to stderr. */
async function copyLogs(stream: NamedStream): Promise<void> {
  for await (const m of stream.messages()) {
    const data = m.value.data as Buffer | undefined;
    if (data?.length) process.stderr.write(data);
  }
}

/** One Transfer call with its progress, auth and log streams; the streams are closed afterwards. */
async function transferWithStreams(
  client: Client,
  build: (streams: { auth?: string; logs?: string }) => { source: object; destination: object },
  ref: Reference,
  reg: RegistrySettings,
  onProgress: (e: ProgressEvent) => void,
): Promise<void> {
  const progress = await needsRelease(client, 'the Transfer service path (--local=false)', '1.7', () => openStream(client, 'progress'));
  const auth = await openStream(client, 'auth');
  const logs = reg.httpDump || reg.httpTrace ? await openStream(client, 'logs') : undefined;
  const background = [
    (async () => {
      for await (const m of progress.messages()) {
        if (m.typeName === 'containerd.types.transfer.Progress') onProgress(m.value as unknown as ProgressEvent);
      }
    })(),
    serveCredentials(auth, reg.credentials, ref),
    ...(logs ? [copyLogs(logs)] : []),
  ].map((p) => p.catch(() => undefined));
  try {
    const { source, destination } = build({ auth: auth.id, logs: logs?.id });
    await client.unary('containerd.services.transfer.v1.Transfer', 'Transfer', {
      source: source as never,
      destination: destination as never,
      options: { progress_stream: progress.id },
    });
  } finally {
    // The last progress events trail the call's answer a little.
    await Promise.race([Promise.all(background), new Promise((r) => setTimeout(r, 150))]);
    progress.close();
    auth.close();
    logs?.close();
  }
}

/**
 * Run a transfer under a temporary lease, then `after` (a check) inside it;
 * on failure the lease goes with a synchronous collection, so nothing stays.
 */
async function runTransfer(
  client: Client,
  build: (streams: { auth?: string; logs?: string }) => { source: object; destination: object },
  ref: Reference,
  reg: RegistrySettings,
  onProgress: (e: ProgressEvent) => void,
  after?: () => Promise<void>,
): Promise<void> {
  const leaseOpts = { sync: false };
  await withTempLease(
    client,
    async () => {
      try {
        await transferWithStreams(client, build, ref, reg, onProgress);
        await after?.();
      } catch (err) {
        leaseOpts.sync = true;
        throw err;
      }
    },
    leaseOpts,
  );
}

function ociRegistry(ref: Reference, reg: RegistrySettings, streams: { auth?: string; logs?: string }) {
  return packAny('containerd.types.transfer.OCIRegistry', {
    reference: ref.name,
    resolver: {
      auth_stream: streams.auth ?? '',
      host_dir: reg.hostsDir ?? '',
      default_scheme: reg.plainHttp ? 'http' : '',
      http_debug: HTTP_DEBUG(reg.httpDump, reg.httpTrace),
      logs_stream: streams.logs ?? '',
    },
  });
}

export interface TransferPullOptions {
  /** Platforms to fetch and unpack; empty with allPlatforms for every one. */
  platforms: Platform[];
  allPlatforms: boolean;
  allMetadata: boolean;
  labels: Record<string, string>;
  snapshotter: string;
  /** Unpack each platform (pull) or not (fetch). */
  unpack: boolean;
}

/**
 * The daemon stores an image even when no manifest matches the platforms
 * asked for; ctrx refuses such a pull and removes the record again.
 */
async function checkPlatforms(client: Client, name: string, platforms: Platform[]): Promise<void> {
  const image = await getImage(client, name);
  try {
    for (const p of platforms) await resolveManifest(client, image, p);
  } catch (err) {
    await client.unary('containerd.services.images.v1.Images', 'Delete', { name, sync: false }).catch(() => undefined);
    throw err;
  }
}

/** Pull ref into the image store through the daemon. */
export async function transferPull(client: Client, ref: Reference, reg: RegistrySettings, opts: TransferPullOptions, onProgress: (e: ProgressEvent) => void): Promise<void> {
  const platforms = opts.allPlatforms ? [] : opts.platforms.map(apiPlatform);
  await runTransfer(
    client,
    (streams) => ({
      source: ociRegistry(ref, reg, streams),
      destination: packAny('containerd.types.transfer.ImageStore', {
        name: ref.name,
        labels: opts.labels,
        platforms,
        all_metadata: opts.allMetadata,
        unpacks: opts.unpack ? platforms.map((p) => ({ platform: p, snapshotter: opts.snapshotter })) : [],
      }),
    }),
    ref,
    reg,
    onProgress,
    opts.allPlatforms ? undefined : () => checkPlatforms(client, ref.name, opts.platforms),
  );
}

/** Push the local image `local` to ref through the daemon. */
export async function transferPush(client: Client, ref: Reference, local: string, reg: RegistrySettings, platforms: Platform[], onProgress: (e: ProgressEvent) => void): Promise<void> {
  await runTransfer(
    client,
    (streams) => ({
      source: packAny('containerd.types.transfer.ImageStore', { name: local, platforms: platforms.map(apiPlatform) }),
      destination: ociRegistry(ref, reg, streams),
    }),
    ref,
    reg,
    onProgress,
  );
}
