/**
 * The registry HTTP API v2 for one repository: resolve a tag or digest to a
 * descriptor, fetch manifests and blobs as streams, check for blobs, upload
 * blobs (POST then a streamed monolithic PUT, or a cross-repository mount) and
 * put manifests. Endpoints come from configureHosts (mirrors first), each
 * used only for what its capabilities allow; auth is handled on 401.
 */
import { createHash } from 'crypto';
import type { IncomingMessage } from 'http';
import { Authorizer, AuthError } from './auth';
import { discard, hostBase, NetworkError, readBody, send, type HttpOptions } from './http';
import type { Capability, RegistryHost } from './hosts';
import { refKey, type Reference } from './reference';
import type { Descriptor } from '../images/image';
import {
  MT_DOCKER_MANIFEST,
  MT_DOCKER_MANIFEST_LIST,
  MT_OCI_INDEX,
  MT_OCI_MANIFEST,
  isIndex,
  isManifest,
} from '../images/image';

/** Media types a resolve accepts, as containerd's resolver sends them. */
const MANIFEST_ACCEPT = [MT_DOCKER_MANIFEST, MT_DOCKER_MANIFEST_LIST, MT_OCI_MANIFEST, MT_OCI_INDEX, '*/*'].join(', ');
/** Manifests bigger than this are refused (containerd's limit is 4 MiB too). */
export const MAX_MANIFEST_BYTES = 4 << 20;

/** The registry does not have what was asked for. */
export class NotFoundError extends Error {}

/** A registry error with its HTTP status and, when sent, the registry's error codes. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A short reason from a registry error body ({"errors":[{"code","message"}]}). */
async function errorReason(res: IncomingMessage): Promise<string> {
  const status = `${res.statusCode} ${res.statusMessage ?? ''}`.trim();
  try {
    const body = await readBody(res, 64 << 10);
    const doc = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const errs = (doc.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean);
    if (errs.length) return `${status}: ${errs.join('; ')}`;
  } catch {
    // no JSON body
  }
  return status;
}

export interface RegistryOptions {
  hosts: RegistryHost[];
  authorizer: Authorizer;
  http?: HttpOptions;
}

/** A repository on a registry, reached through its configured endpoints. */
export class Repository {
  private readonly hosts: RegistryHost[];
  private readonly auth: Authorizer;
  private readonly http: HttpOptions;

  constructor(
    readonly ref: Reference,
    opts: RegistryOptions,
  ) {
    this.hosts = opts.hosts;
    this.auth = opts.authorizer;
    this.http = opts.http ?? {};
  }

  private endpoints(cap: Capability): RegistryHost[] {
    const hs = this.hosts.filter((h) => h.capabilities.has(cap));
    if (!hs.length) throw new Error(`${this.ref.domain}: no endpoint configured for ${cap}`);
    return hs;
  }

  private scope(push: boolean): string {
    return `repository:${this.ref.path}:${push ? 'pull,push' : 'pull'}`;
  }

  /**
   * One request to one endpoint, with auth: on a 401 learn the challenge and
   * retry (at most twice). `url` is relative to the endpoint's API root.
   */
  async request(
    host: RegistryHost,
    method: string,
    url: string | URL,
    opts: { headers?: Record<string, string>; body?: Buffer | (() => AsyncIterable<Buffer>); push?: boolean } = {},
  ): Promise<IncomingMessage> {
    const base = await hostBase(host, this.http);
    const full = url instanceof URL ? url : new URL(url, base);
    const scope = this.scope(!!opts.push);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...host.headers, ...opts.headers };
      const authz = await this.auth.header(host.host, scope);
      if (authz) headers.Authorization = authz;
      const res = await send({ method, url: full, headers, body: opts.body, tls: host.tls }, this.http);
      // A concurrent request may have learnt the host's auth meanwhile: retry with it before reading the challenge.
      const current = res.statusCode === 401 && attempt < 2 ? await this.auth.header(host.host, scope).catch(() => undefined) : undefined;
      if (current && current !== authz) {
        discard(res);
        continue;
      }
      if (res.statusCode === 401 && attempt < 2 && (await this.auth.challenged(host.host, res, scope))) {
        discard(res);
        continue;
      }
      if (res.statusCode === 401 || res.statusCode === 403) {
        const why = await errorReason(res);
        throw new AuthError(`unauthorized: ${host.host} answered ${why}`);
      }
      return res;
    }
  }

  /** Try each endpoint with `cap` in order; 404s and network errors move on to the next one. */
  private async eachEndpoint<T>(cap: Capability, what: string, fn: (h: RegistryHost) => Promise<T | undefined>): Promise<T> {
    let lastErr: Error | undefined;
    for (const h of this.endpoints(cap)) {
      try {
        const r = await fn(h);
        if (r !== undefined) return r;
        lastErr = new NotFoundError(`${what}: not found`);
      } catch (err) {
        if (err instanceof AuthError) throw err;
        if (!(err instanceof NetworkError || err instanceof NotFoundError)) throw err;
        lastErr = err as Error;
      }
    }
    throw lastErr ?? new NotFoundError(`${what}: not found`);
  }

  /** Resolve the reference to the descriptor of its manifest or index. */
  async resolve(): Promise<Descriptor> {
    const obj = this.ref.digest ?? this.ref.tag ?? 'latest';
    return this.eachEndpoint('resolve', this.ref.name, async (h) => {
      const path = `${this.ref.path}/manifests/${obj}`;
      const head = await this.request(h, 'HEAD', path, { headers: { Accept: MANIFEST_ACCEPT } });
      discard(head);
      // Registries answer 404 (or, for a blob digest, even 500) on /manifests/ for a digest that names a blob.
      if (head.statusCode !== 200 && this.ref.digest) {
        const blob = await this.request(h, 'HEAD', `${this.ref.path}/blobs/${this.ref.digest}`);
        discard(blob);
        const len = Number(blob.headers['content-length'] ?? NaN);
        if (blob.statusCode === 200 && Number.isFinite(len)) {
          const mt = (blob.headers['content-type'] ?? '').split(';')[0].trim() || 'application/octet-stream';
          return { mediaType: mt, digest: this.ref.digest, size: len };
        }
        if (head.statusCode !== 404) throw new RegistryError(`${this.ref.name}: resolving on ${h.host} failed: ${head.statusCode} ${head.statusMessage ?? ''}`.trimEnd(), head.statusCode ?? 0);
        return undefined;
      }
      if (head.statusCode === 404) return undefined;
      if (head.statusCode === 200) {
        const mt = (head.headers['content-type'] ?? '').split(';')[0].trim();
        const dg = head.headers['docker-content-digest'] as string | undefined;
        const len = Number(head.headers['content-length'] ?? NaN);
        const digest = this.ref.digest ?? dg;
        if (mt && digest && Number.isFinite(len) && len > 0 && (!this.ref.digest || !dg || dg === this.ref.digest)) {
          return { mediaType: mt, digest, size: len };
        }
      } else if (head.statusCode !== 405 && head.statusCode !== 400) {
        throw new RegistryError(`${this.ref.name}: resolving on ${h.host} failed: ${head.statusCode} ${head.statusMessage ?? ''}`.trimEnd(), head.statusCode ?? 0);
      }
      // No usable HEAD answer: GET the manifest and work the descriptor out from it.
      const res = await this.request(h, 'GET', path, { headers: { Accept: MANIFEST_ACCEPT } });
      if (res.statusCode === 404) {
        discard(res);
        return undefined;
      }
      if (res.statusCode !== 200) throw new RegistryError(`${this.ref.name}: resolving on ${h.host} failed: ${await errorReason(res)}`, res.statusCode ?? 0);
      const body = await readBody(res, MAX_MANIFEST_BYTES);
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      if (this.ref.digest && this.ref.digest !== digest) throw new Error(`${this.ref.name}: the registry sent content with digest ${digest}`);
      let mt = (res.headers['content-type'] ?? '').split(';')[0].trim();
      if (!mt || mt === 'application/json' || mt === 'text/plain') {
        try {
          const doc = JSON.parse(body.toString('utf8'));
          mt = doc.mediaType || (doc.manifests ? MT_OCI_INDEX : MT_OCI_MANIFEST);
        } catch {
          throw new Error(`${this.ref.name}: the registry sent a manifest that is not JSON`);
        }
      }
      return { mediaType: mt, digest, size: body.length };
    });
  }

  /**
   * Open a descriptor's content as a stream: manifests and indexes from
   * /manifests/, everything else from /blobs/. The caller verifies the bytes.
   */
  async fetch(desc: Descriptor): Promise<IncomingMessage> {
    const kind = isManifest(desc.mediaType) || isIndex(desc.mediaType) ? 'manifests' : 'blobs';
    return this.eachEndpoint('pull', refKey(desc.mediaType, desc.digest), async (h) => {
      const headers: Record<string, string> = kind === 'manifests' ? { Accept: `${desc.mediaType}, */*` } : {};
      let res = await this.request(h, 'GET', `${this.ref.path}/${kind}/${desc.digest}`, { headers });
      // Some registries serve manifests under /blobs/ only, and the other way round.
      if (res.statusCode === 404) {
        discard(res);
        res = await this.request(h, 'GET', `${this.ref.path}/${kind === 'manifests' ? 'blobs' : 'manifests'}/${desc.digest}`, { headers });
      }
      if (res.statusCode === 404) {
        discard(res);
        return undefined;
      }
      if (res.statusCode !== 200) throw new RegistryError(`${desc.digest}: fetching from ${h.host} failed: ${await errorReason(res)}`, res.statusCode ?? 0);
      return res;
    });
  }

  /** Fetch a blob by digest alone (content fetch-blob); the media type only sets Accept. */
  async fetchBlob(digest: string, mediaType = 'application/octet-stream'): Promise<IncomingMessage> {
    return this.fetch({ mediaType, digest, size: 0 });
  }

  /** True if the repository already has the blob (or manifest) on the first push endpoint. */
  async exists(desc: Descriptor): Promise<boolean> {
    const h = this.endpoints('push')[0];
    const kind = isManifest(desc.mediaType) || isIndex(desc.mediaType) ? 'manifests' : 'blobs';
    const res = await this.request(h, 'HEAD', `${this.ref.path}/${kind}/${desc.digest}`, { push: true, headers: kind === 'manifests' ? { Accept: MANIFEST_ACCEPT } : {} });
    discard(res);
    return res.statusCode === 200;
  }

  /**
   * Upload a blob: try a cross-repository mount from `mountFrom` when given,
   * else POST an upload session and PUT the whole stream to it.
   * Returns 'mounted' or 'uploaded'.
   */
  async pushBlob(desc: Descriptor, body: () => AsyncIterable<Buffer>, mountFrom?: string): Promise<'mounted' | 'uploaded'> {
    const h = this.endpoints('push')[0];
    const start = new URL(`${this.ref.path}/blobs/uploads/`, await hostBase(h, this.http));
    if (mountFrom && mountFrom !== this.ref.path) {
      start.searchParams.set('mount', desc.digest);
      start.searchParams.set('from', mountFrom);
    }
    const post = await this.request(h, 'POST', start, { push: true, headers: { 'Content-Length': '0' } });
    if (post.statusCode === 201 && mountFrom) {
      discard(post);
      return 'mounted';
    }
    if (post.statusCode !== 202) throw new RegistryError(`${desc.digest}: starting an upload to ${h.host} failed: ${await errorReason(post)}`, post.statusCode ?? 0);
    discard(post);
    const loc = post.headers.location;
    if (!loc) throw new RegistryError(`${desc.digest}: ${h.host} started an upload without a Location`, 202);
    const put = new URL(loc, start);
    put.searchParams.set('digest', desc.digest);
    const res = await this.request(h, 'PUT', put, {
      push: true,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(desc.size) },
      body,
    });
    if (res.statusCode !== 201 && res.statusCode !== 204) throw new RegistryError(`${desc.digest}: upload to ${h.host} failed: ${await errorReason(res)}`, res.statusCode ?? 0);
    discard(res);
    return 'uploaded';
  }

  /** PUT a manifest or index under a tag or its digest, byte for byte. */
  async putManifest(desc: Descriptor, body: Buffer, tagOrDigest: string): Promise<void> {
    const h = this.endpoints('push')[0];
    const res = await this.request(h, 'PUT', `${this.ref.path}/manifests/${tagOrDigest}`, {
      push: true,
      headers: { 'Content-Type': desc.mediaType },
      body,
    });
    if (res.statusCode !== 201 && res.statusCode !== 200 && res.statusCode !== 204) {
      throw new RegistryError(`${desc.digest}: putting the manifest on ${h.host} failed: ${await errorReason(res)}`, res.statusCode ?? 0);
    }
    discard(res);
  }
}
