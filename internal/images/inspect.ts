/**
 * The tree `ctr images inspect` (2.x) draws: the image name, times and
 * labels, then each index and manifest with its children (config and layers of
 * a manifest as plain lines), platform lines, and with --content the labels
 * and JSON of the index, manifest and config blobs in boxes, the JSON
 * re-indented token for token as Go's json.Indent does.
 */
import type { Client } from '../client/client';
import { infoIfExists, readAll } from '../content/store';
import { timestampToDate } from '../api/json';
import { formatPlatform } from '../platforms';
import { ApiImage, Descriptor, Index, Manifest, apiToOci, isIndex, isManifest } from './image';

/** Go's time.Time String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
function goTime(ts: ApiImage['created_at']): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  const d = timestampToDate(ts)!;
  const p = (n: number) => String(n).padStart(2, '0');
  const nanos = ts.nanos ? `.${String(ts.nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${nanos} +0000 UTC`;
}

const DROP = '├── ';
const LAST = '└── ';
const SKIP = '│   ';
const SPACE = '    ';

/**
 * Re-indent JSON text as Go's json.Indent does: tokens kept exactly as they
 * are (escapes, number spelling, key order), three spaces per level, every
 * new line starting with `prefix`, and empty objects and arrays left as {} and [].
 */
export function indentJSON(text: string, prefix: string, indent = '   '): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const newline = () => `\n${prefix}${indent.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      out += c;
      needIndent = true;
    } else if (c === '}' || c === ']') {
      if (needIndent) needIndent = false; // empty: {} or []
      else {
        depth--;
        out += newline();
      }
      out += c;
    } else if (c === ',') {
      out += c + newline();
    } else if (c === ':') {
      out += ': ';
    } else out += c;
  }
  return out;
}

/** Draw the image's tree as ctr 2.x's image tree printer does (verbose with --content). */
export async function inspectTree(client: Client, img: ApiImage, withContent: boolean, write: (text: string) => void): Promise<void> {
  let s = `${img.name}\n${SKIP} Created: ${goTime(img.created_at)}\n${SKIP} Updated: ${goTime(img.updated_at)}\n`;
  // Go prints the labels in map order (random); sorted here.
  for (const k of Object.keys(img.labels ?? {}).sort()) s += `${SKIP} Label ${JSON.stringify(k)}: ${JSON.stringify(img.labels[k])}\n`;

  const showContent = async (d: Descriptor, prefix: string): Promise<void> => {
    if (!withContent) return;
    const info = await infoIfExists(client, d.digest);
    if (!info) throw new Error(`content digest ${d.digest}: not found`);
    const keys = Object.keys(info.labels);
    if (keys.length) {
      s += `${prefix}┌────────Labels─────────\n`;
      for (const k of keys.sort()) s += `${prefix}│${JSON.stringify(k)}: ${JSON.stringify(info.labels[k])}\n`;
      s += `${prefix}└───────────────────────\n`;
    }
    if (d.mediaType.endsWith('json')) {
      const text = (await readAll(client, d.digest)).toString('utf8');
      s += `${prefix}┌────────Content────────\n${prefix}│${indentJSON(text, `${prefix}│`).trim()}\n${prefix}└───────────────────────\n`;
    }
  };

  const visit = async (d: Descriptor, prefix: string, childPrefix: string): Promise<void> => {
    let subPrefix = childPrefix + DROP;
    let subChild = childPrefix + SKIP;
    s += `${prefix}${d.mediaType} @${d.digest} (${d.size} bytes)\n`;
    if (d.platform?.architecture) s += `${subChild} Platform: ${formatPlatform(d.platform)}\n`;
    if (!(await infoIfExists(client, d.digest))) {
      s += `${childPrefix}${LAST} Content does not exist locally, skipping\n`;
      return;
    }
    const body = await readAll(client, d.digest);
    await showContent(d, subChild);
    if (isManifest(d.mediaType)) {
      const m = JSON.parse(body.toString('utf8')) as Manifest;
      const layers = m.layers ?? [];
      if (!layers.length) {
        subPrefix = childPrefix + LAST;
        subChild = childPrefix + SPACE;
      }
      s += `${subPrefix}${m.config.mediaType} @${m.config.digest} (${m.config.size} bytes)\n`;
      await showContent(m.config, subChild);
      layers.forEach((l, i) => {
        s += `${i === layers.length - 1 ? childPrefix + LAST : subPrefix}${l.mediaType} @${l.digest} (${l.size} bytes)\n`;
      });
    } else if (isIndex(d.mediaType)) {
      const idx = JSON.parse(body.toString('utf8')) as Index;
      const ms = idx.manifests ?? [];
      for (let i = 0; i < ms.length; i++) {
        if (i === ms.length - 1) {
          subPrefix = childPrefix + LAST;
          subChild = childPrefix + SPACE;
        }
        await visit(ms[i], subPrefix, subChild);
      }
    }
  };
  try {
    await visit(apiToOci(img.target!), LAST, SPACE);
  } finally {
    // Like ctr, what was drawn before a failure (a blob that is not there) is shown.
    write(s);
  }
}
