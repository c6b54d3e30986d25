/**
 * Importing an archive the way containerd's client.Import does: read it into
 * the store, walk its index (filtered by platform) setting the gc reference
 * labels, and work out which image records it names (ref.name / image.name
 * annotations, --base-name, --digests, --index-name). Records themselves are
 * left to the caller, which unpacks first so that nothing is named until all
 * of it is in place.
 */
import type { Readable } from 'stream';
import type { Client } from '../client/client';
import { infoIfExists } from '../content/store';
import { setChildrenLabels } from '../images/gc-labels';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, Descriptor, Index, children, isIndex, isManifest } from '../images/image';
import { Platform, normalizePlatform, platformMatcher, defaultPlatform } from '../platforms';
import { ArchiveIndex, ReadArchiveOptions, readArchive } from './read-archive';

export interface ImportOptions extends ReadArchiveOptions {
  /** Only names under this prefix are kept; bare tags get it prepended (ctr --base-name). */
  baseName?: string;
  /** Also name each image <prefix>@<digest>. */
  digests?: boolean;
  /** With digests: no digest name for images that have a name. */
  skipDigestForNamed?: boolean;
  /** Keep the archive's index as an image of this name. */
  indexName?: string;
  /** Only this platform (strict match). */
  platform?: Platform;
  allPlatforms?: boolean;
}

export interface ImportedImage {
  name: string;
  target: Descriptor;
}

export interface ImportResult extends ArchiveIndex {
  images: ImportedImage[];
}

/** ctr's default --base-name: import-<local date>. */
export function defaultBaseName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `import-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

function isImagePrefix(s: string, prefix: string): boolean {
  if (!s.startsWith(prefix)) return false;
  return s.length === prefix.length || '/:@'.includes(s[prefix.length]);
}

/** archive.AddRefPrefix / FilterRefPrefix: full refs pass (or are filtered), bare tags get "<prefix>:". */
function refTranslator(prefix: string, filter: boolean): (ref: string) => string {
  return (ref) => {
    if (/[/:@]/.test(ref)) return filter && !isImagePrefix(ref, prefix) ? '' : ref;
    return `${prefix}:${ref}`;
  };
}

/** The platform filter: every platform, one platform strictly, or this host's (with its compatible ones). */
export function importMatcher(opts: { platform?: Platform; allPlatforms?: boolean }): (p: Platform) => boolean {
  if (opts.allPlatforms) return () => true;
  if (opts.platform) {
    const w = normalizePlatform(opts.platform);
    return (p) => {
      const n = normalizePlatform(p);
      return n.os === w.os && n.architecture === w.architecture && (n.variant ?? '') === (w.variant ?? '');
    };
  }
  return platformMatcher(defaultPlatform());
}

/** Import an archive stream; call it under a lease (the blobs are unreferenced until records exist). */
export async function importArchive(client: Client, input: Readable, opts: ImportOptions = {}): Promise<ImportResult> {
  const archive = await readArchive(client, input, opts);
  const { index, indexBytes } = archive;
  const prefix = opts.baseName || defaultBaseName();
  const translate = refTranslator(prefix, !!opts.baseName);
  const images: ImportedImage[] = [];
  if (opts.indexName) images.push({ name: opts.indexName, target: index });
  const matches = importMatcher(opts);
  let notEmpty = false;
  const seen = new Set<string>();

  const visit = async (desc: Descriptor): Promise<void> => {
    let kids: Descriptor[];
    if (desc.digest === index.digest) {
      let doc: Index;
      try {
        doc = JSON.parse(indexBytes.toString('utf8')) as Index;
      } catch (e) {
        throw new Error(`index.json: ${(e as Error).message}`);
      }
      kids = doc.manifests ?? [];
      for (const m of kids) {
        const ann = m.annotations ?? {};
        let name = ann[ANNOTATION_IMAGE_NAME] ?? '';
        if (!name && ann[ANNOTATION_REF_NAME]) name = translate(ann[ANNOTATION_REF_NAME]);
        if (name) images.push({ name, target: m });
        if (opts.skipDigestForNamed && name) continue;
        if (opts.digests) images.push({ name: `${prefix}@${m.digest}`, target: m });
      }
    } else if (isIndex(desc.mediaType) || isManifest(desc.mediaType)) {
      if (seen.has(desc.digest)) return;
      seen.add(desc.digest);
      kids = await children(client, desc);
    } else {
      if (seen.has(desc.digest)) return;
      seen.add(desc.digest);
      if (!(await infoIfExists(client, desc.digest))) throw new Error(`${desc.mediaType} ${desc.digest} is referenced by the archive but not in it: not found`);
      return;
    }
    const kept = kids.filter((k) => !k.platform || matches(k.platform));
    if (kept.length) notEmpty = true;
    await setChildrenLabels(client, desc, kept);
    for (const k of kept) await visit(k);
  };
  await visit(index);
  if (!notEmpty) throw new Error('image might be filtered out (no manifest in the archive matches the platform)');
  return { ...archive, images };
}
