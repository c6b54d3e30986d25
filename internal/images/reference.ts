/**
 * Image references as Docker's reference package reads them: normalising
 * ("busybox" → "docker.io/library/busybox:latest"), the familiar short form
 * docker writes into manifest.json, and the OCI ref.name (the tag part).
 */

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const FULL = new RegExp(`^((?:${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ParsedRef {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

/** Split and normalise a reference (ParseNormalizedNamed); throws on an invalid one. */
export function parseNormalized(ref: string): ParsedRef {
  const bad = (why: string) => new Error(`error parsing reference: ${JSON.stringify(ref)} is not a valid repository/tag: invalid reference format${why ? `: ${why}` : ''}`);
  if (!ref) throw bad('');
  let name = ref;
  let rest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    rest = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash < 0 || (!first.includes('.') && !first.includes(':') && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = 'docker.io';
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const repoPart = remainder.replace(/:[^/]*$/, '');
  if (repoPart.toLowerCase() !== repoPart) throw bad(`repository name (${repoPart}) must be lowercase`);
  const m = FULL.exec(`${domain}/${remainder}${rest}`);
  if (!m) throw bad('');
  return { domain, path: m[2], tag: m[3], digest: m[4] };
}

/** ParseDockerRef: normalised, with ":latest" when there is neither tag nor digest, and no tag beside a digest. */
export function normalizeRef(ref: string): string {
  const p = parseNormalized(ref);
  if (p.digest) return `${p.domain}/${p.path}@${p.digest}`;
  return `${p.domain}/${p.path}:${p.tag ?? 'latest'}`;
}

/** The familiar form (FamiliarString of TagNameOnly): "docker.io/library/x:1" → "x:1". */
export function familiarRef(ref: string): string {
  const p = parseNormalized(ref);
  let name = `${p.domain}/${p.path}`;
  if (p.domain === 'docker.io') {
    name = p.path;
    if (name.startsWith('library/') && !name.slice(8).includes('/')) name = name.slice(8);
  }
  if (p.tag) name += `:${p.tag}`;
  else if (!p.digest) name += ':latest';
  if (p.digest) name += `@${p.digest}`;
  return name;
}

/** containerd's ociReferenceName: the object part (tag, or tag@digest, or @digest) of a name, else the name. */
export function ociReferenceName(name: string): string {
  // containerd's reference.Parse: locator is everything up to the last ':' or '@' after the last '/'.
  const slash = name.lastIndexOf('/');
  if (slash < 0) return name;
  const tail = name.slice(slash + 1);
  const at = tail.indexOf('@');
  const colon = tail.indexOf(':');
  let cut = -1;
  if (colon >= 0 && (at < 0 || colon < at)) cut = colon + 1;
  else if (at >= 0) cut = at;
  if (cut < 0) return name;
  const obj = tail.slice(cut);
  return obj || name;
}
