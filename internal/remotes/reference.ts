/**
 * Image references as containerd and Docker normalise them: `busybox` is
 * docker.io/library/busybox:latest, a first component with a dot, a colon or
 * `localhost` is a registry host, and a reference may carry a tag, a digest or
 * both.
 */
import { isConfig, isIndex, isLayer, isManifest } from '../images/image';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

/** A parsed, normalised reference. */
export interface Reference {
  /** Registry host as written (docker.io for Docker Hub), with the port if any. */
  domain: string;
  /** Repository path inside the registry (library/busybox). */
  path: string;
  tag?: string;
  digest?: string;
  /** domain/path: containerd's "locator". */
  locator: string;
  /** The full normalised string: locator[:tag][@digest]. */
  name: string;
}

/** A reference that does not parse; the message says why, like the Go parser. */
export class ReferenceError extends Error {}

/** Split and normalise a reference the way ParseDockerRef does (adds :latest when neither tag nor digest is given). */
export function parseReference(input: string, opts: { defaultTag?: boolean } = {}): Reference {
  const ref = input.trim();
  if (!ref) throw new ReferenceError('invalid reference format: repository name must have at least one component');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ReferenceError(`invalid reference format: ${JSON.stringify(input)}: invalid digest`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw new ReferenceError(`invalid reference format: ${JSON.stringify(input)}: invalid checksum digest length`);
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ReferenceError(`invalid reference format: ${JSON.stringify(input)}: invalid tag`);
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (!DOMAIN.test(domain)) throw new ReferenceError(`invalid reference format: ${JSON.stringify(input)}: invalid registry host`);
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  if (path !== path.toLowerCase()) throw new ReferenceError(`invalid reference format: repository name (${path}) must be lowercase`);
  for (const c of path.split('/')) {
    if (!COMPONENT.test(c)) throw new ReferenceError(`invalid reference format: ${JSON.stringify(input)}`);
  }
  if (domain.length + 1 + path.length > 255) throw new ReferenceError('invalid reference format: repository name must not be more than 255 characters');
  if (!tag && !digest && opts.defaultTag !== false) tag = 'latest';
  const locator = `${domain}/${path}`;
  const name = locator + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
  return { domain, path, tag, digest, locator, name };
}

/** The object part containerd sends to a registry: the digest if known, else the tag. */
export function referenceObject(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Host name without the port (for containerd.io/distribution.source.<host>). */
export function hostWithoutPort(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(0, domain.indexOf(']') + 1);
  const i = domain.lastIndexOf(':');
  return i >= 0 ? domain.slice(0, i) : domain;
}

/** The key containerd's remotes.MakeRefKey gives a descriptor's ingest (layer-sha256:..., manifest-sha256:...). */
export function refKey(mediaType: string, digest: string): string {
  let kind = 'unknown';
  if (isManifest(mediaType)) kind = 'manifest';
  else if (isIndex(mediaType)) kind = 'index';
  else if (isLayer(mediaType)) kind = 'layer';
  else if (isConfig(mediaType)) kind = 'config';
  return `${kind}-${digest}`;
}
