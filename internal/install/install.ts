/**
 * containerd's managed opt install: the bin/ (and with libs, lib/) entries of
 * an image's layers extracted into the opt directory the daemon exports
 * (or a path of the caller's). Unlike ctr, every conflict is found before
 * anything is written, so a refused install leaves the directory as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { Readable } from 'stream';
import * as tar from 'tar-stream';
import type { Client } from '../client/client';
import { getImage, resolveManifest, layerCompression, type Descriptor } from '../images/image';
import { readBlob } from '../content/store';

export interface InstallOptions {
  libs: boolean;
  replace: boolean;
  path?: string;
}

/** The opt plugin's exported path (the daemon's managed opt directory). */
export async function optPath(client: Client): Promise<string> {
  const { plugins } = await client.unary('containerd.services.introspection.v1.Introspection', 'Plugins', { filters: ['id==opt'] });
  if (plugins.length !== 1) throw new Error('opt service not enabled');
  const p = plugins[0].exports?.path;
  if (!p) throw new Error('opt path not exported');
  return p;
}

// An entry is installed when its directory is bin (or lib), taken as Go's
// filepath.Dir does: everything before the last slash, cleaned ("bin/" is in bin).
function wanted(name: string, libs: boolean): boolean {
  const cut = name.lastIndexOf('/');
  const d = cut < 0 ? '.' : path.posix.normalize(name.slice(0, cut) || '/');
  return d === 'bin' || (libs && d === 'lib');
}

async function eachEntry(client: Client, layer: Descriptor, fn: (h: tar.Header, body: Readable) => Promise<void>): Promise<void> {
  const kind = layerCompression(layer.mediaType);
  if (kind === 'zstd') throw new Error(`layer ${layer.digest}: zstd layers are not supported`);
  let src: Readable = Readable.from(readBlob(client, layer.digest));
  if (kind === 'gzip') src = src.pipe(zlib.createGunzip());
  const ex = tar.extract();
  src.on('error', (e) => ex.destroy(e));
  src.pipe(ex);
  for await (const entry of ex) {
    await fn(entry.header, entry as unknown as Readable);
    entry.resume();
  }
}

async function writeEntry(root: string, h: tar.Header, body: Readable): Promise<void> {
  const dest = path.join(root, path.posix.normalize(h.name));
  if (!dest.startsWith(root + path.sep)) throw new Error(`entry ${h.name} escapes ${root}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (h.type === 'directory') {
    fs.mkdirSync(dest, { recursive: true });
    fs.chmodSync(dest, h.mode ?? 0o755);
    return;
  }
  fs.rmSync(dest, { force: true });
  if (h.type === 'symlink') fs.symlinkSync(h.linkname!, dest);
  else if (h.type === 'link') fs.linkSync(path.join(root, path.posix.normalize(h.linkname!)), dest);
  else if (h.type === 'file' || h.type === 'contiguous-file') {
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(dest, { mode: h.mode });
      body.pipe(out).on('finish', resolve).on('error', reject);
      body.on('error', reject);
    });
    fs.chmodSync(dest, h.mode ?? 0o644);
  } else return; // devices and fifos have no place in an opt directory
  if (h.mtime && h.type !== 'symlink') fs.utimesSync(dest, h.mtime, h.mtime);
}

/** Install the image `ref`; returns the directory installed into. */
export async function installImage(client: Client, ref: string, o: InstallOptions): Promise<string> {
  const image = await getImage(client, ref);
  const root = path.resolve(o.path || (await optPath(client)));
  const { manifest } = await resolveManifest(client, image);
  const layers = (manifest.layers ?? []) as Descriptor[];
  if (!o.replace) {
    for (const layer of layers) {
      await eachEntry(client, layer, async (h) => {
        if (!wanted(h.name, o.libs) || h.type === 'directory') return;
        const name = path.posix.normalize(h.name);
        if (fs.existsSync(path.join(root, name)) || isLink(path.join(root, name))) throw new Error(`cannot replace ${name} in ${root}`);
      });
    }
  }
  fs.mkdirSync(root, { recursive: true });
  for (const layer of layers) {
    await eachEntry(client, layer, async (h, body) => {
      if (wanted(h.name, o.libs)) await writeEntry(root, h, body);
    });
  }
  return root;
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
