/**
 * The tree `ctr images inspect` (2.x) draws: the image name and times, then
 * each descriptor under its parent with box-drawing branches, platform lines,
 * and with content the blob's labels and JSON in boxes.
 */
import type { Client } from '../client/client';
import { infoIfExists, readAll } from '../content/store';
import { timestampToDate } from '../api/json';
import { formatPlatform } from '../platforms';
import { ApiImage, Descriptor, apiToOci, children, isConfig, isIndex, isManifest } from './image';

/** Go's time.Time String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
function goTime(ts: ApiImage['created_at']): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  const d = timestampToDate(ts)!;
  const p = (n: number) => String(n).padStart(2, '0');
  const nanos = ts.nanos ? `.${String(ts.nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${nanos} +0000 UTC`;
}

function box(title: string, lines: string[], prefix: string): string {
  const width = 23;
  const pad = width - title.length;
  const left = Math.floor(pad / 2);
  let s = `${prefix}┌${'─'.repeat(left)}${title}${'─'.repeat(pad - left)}\n`;
  for (const l of lines) s += `${prefix}│${l}\n`;
  s += `${prefix}└${'─'.repeat(width)}\n`;
  return s;
}

/** Render the image's tree. */
export async function inspectTree(client: Client, img: ApiImage, withContent: boolean): Promise<string> {
  let s = `${img.name}\n│    Created: ${goTime(img.created_at)}\n│    Updated: ${goTime(img.updated_at)}\n`;
  const visit = async (d: Descriptor, prefix: string, last: boolean): Promise<void> => {
    s += `${prefix}${last ? '└── ' : '├── '}${d.mediaType} @${d.digest} (${d.size} bytes)\n`;
    const inner = `${prefix}${last ? '    ' : '│   '}`;
    let kids: Descriptor[] = [];
    let missing = false;
    try {
      kids = isIndex(d.mediaType) || isManifest(d.mediaType) ? await children(client, d) : [];
    } catch {
      missing = true;
    }
    const bar = kids.length ? '│   ' : '    ';
    if (d.platform) s += `${inner}│    Platform: ${formatPlatform(d.platform)}\n`;
    if (missing) s += `${inner}│    (content not present)\n`;
    if (withContent && !missing) {
      const info = await infoIfExists(client, d.digest);
      if (info && Object.keys(info.labels).length) {
        s += box('Labels', Object.keys(info.labels).sort().map((k) => `${JSON.stringify(k)}: ${JSON.stringify(info.labels[k])}`), `${inner}${bar}`);
      }
      if (info && (isIndex(d.mediaType) || isManifest(d.mediaType) || isConfig(d.mediaType))) {
        const text = JSON.stringify(JSON.parse((await readAll(client, d.digest)).toString('utf8')), null, 3);
        s += box('Content', text.split('\n'), `${inner}${bar}`);
      }
    }
    for (let i = 0; i < kids.length; i++) await visit(kids[i], inner, i === kids.length - 1);
  };
  await visit(apiToOci(img.target!), '', true);
  return s;
}
