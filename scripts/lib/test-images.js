'use strict';
// Small test images built offline from busybox-static (DESIGN.md §4: no registry
// outside is reachable). One layer holds /bin/busybox and a few applet symlinks;
// an optional second layer holds incompressible filler for size tests.
//
// Archives come in the two shapes `ctr images import` reads:
//   'oci'    - OCI image layout (oci-layout, index.json, blobs/sha256/...), plus a
//              docker-compatible manifest.json as containerd's own exporter writes;
//   'docker' - `docker save` layout (manifest.json, repositories, <id>/layer.tar).
//
// Everything is reproducible: tar runs with fixed order, times and owners, and
// the filler is AES-CTR keystream from a fixed key, so the same options give
// the same digests on every machine.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const zlib = require('zlib');
const { pipeline } = require('stream/promises');
const { Transform } = require('stream');
const { spawnSync } = require('child_process');

const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'true', 'echo', 'cat', 'sleep', 'ls'];
const EPOCH = '1970-01-01T00:00:00Z';
const DEFAULT_REF = 'docker.io/ctrx/busybox:test';

const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
};

// GNU tar options that make the archive depend on content only.
const REPRODUCIBLE_TAR = ['--format=gnu', '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner'];

/** Normalise a reference the way containerd's docker parser does (docker.io, library/, :latest). */
function normalizeRef(ref) {
  let name = ref;
  const first = name.split('/')[0];
  const hasDomain = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !name.includes('@')) name += ':latest';
  return name;
}

/** The short form docker writes into RepoTags and `repositories`. */
function familiarRef(ref) {
  return ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

function splitTag(ref) {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? { repo: ref.slice(0, at), tag: ref.slice(at + 1) } : { repo: ref, tag: 'latest' };
}

/** "linux/arm64/v8" -> { os, architecture, variant } */
function parsePlatform(p) {
  const [os, architecture, variant] = p.split('/');
  if (!os || !architecture) throw new Error(`bad platform ${JSON.stringify(p)} (want os/arch[/variant])`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error || r.stderr}`);
  return r.stdout;
}

const sha256 = (buf) => `sha256:${crypto.createHash('sha256').update(buf).digest('hex')}`;

/** Pass-through stream that counts and hashes what flows by. */
function digester() {
  const hash = crypto.createHash('sha256');
  let size = 0;
  const t = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  t.result = () => ({ digest: `sha256:${hash.digest('hex')}`, size });
  return t;
}

/** Stream src through gzip (or not) into dst; returns the digests of both sides. */
async function compressFile(src, dst, gzip, level = 6) {
  const before = digester();
  const after = digester();
  const stages = [fs.createReadStream(src), before];
  if (gzip) stages.push(zlib.createGzip({ level }));
  await pipeline(...stages, after, fs.createWriteStream(dst));
  return { diffId: before.result().digest, ...after.result() };
}

/** Deterministic incompressible bytes, written in chunks so size is not bounded by memory. */
async function writeFiller(file, bytes) {
  const cipher = crypto.createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const out = fs.createWriteStream(file);
  const chunk = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= chunk.length) {
    const piece = cipher.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
    if (!out.write(piece)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
}

/** Layer trees on disk: busybox with its applets, and the optional filler. */
async function stageLayerTrees(stage, extraLayerBytes) {
  const base = path.join(stage, 'tree-base');
  fs.mkdirSync(path.join(base, 'bin'), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(base, 'bin', 'busybox'));
  // Modes set explicitly so the layer does not depend on the caller's umask.
  fs.chmodSync(path.join(base, 'bin'), 0o755);
  fs.chmodSync(path.join(base, 'bin', 'busybox'), 0o755);
  for (const applet of APPLETS) fs.symlinkSync('busybox', path.join(base, 'bin', applet));
  const trees = [{ dir: base, entries: ['bin'], createdBy: 'ctrx test-images: busybox and applets' }];
  if (extraLayerBytes > 0) {
    const extra = path.join(stage, 'tree-extra');
    fs.mkdirSync(path.join(extra, 'data'), { recursive: true });
    fs.chmodSync(path.join(extra, 'data'), 0o755);
    await writeFiller(path.join(extra, 'data', 'filler.bin'), extraLayerBytes);
    fs.chmodSync(path.join(extra, 'data', 'filler.bin'), 0o644);
    trees.push({
      dir: extra,
      entries: ['data'],
      createdBy: `ctrx test-images: ${extraLayerBytes} filler bytes`,
      // Random bytes do not shrink: stored (level 0) deflate blocks are still valid
      // gzip and build ~15x faster than level 1 for big size-test layers.
      gzipLevel: 0,
    });
  }
  return trees;
}

/** tar each tree; returns [{ tar, diffId, createdBy }]. */
async function tarLayers(stage, trees) {
  const layers = [];
  for (const [i, tree] of trees.entries()) {
    const tar = path.join(stage, `layer-${i}.tar`);
    run('tar', [...REPRODUCIBLE_TAR, '-cf', tar, '-C', tree.dir, ...tree.entries]);
    layers.push({ tar, createdBy: tree.createdBy, gzipLevel: tree.gzipLevel ?? 6 });
  }
  return layers;
}

/** Write a blob into an OCI layout and return its descriptor. */
function putBlob(layoutDir, mediaType, buf) {
  const digest = sha256(buf);
  const blobDir = path.join(layoutDir, 'blobs', 'sha256');
  fs.mkdirSync(blobDir, { recursive: true });
  fs.writeFileSync(path.join(blobDir, digest.slice(7)), buf);
  return { mediaType, digest, size: buf.length };
}

function imageConfig(platform, diffIds, history, cmd = ['sh']) {
  return {
    created: EPOCH,
    ...platform,
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: cmd,
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: history.map((createdBy) => ({ created: EPOCH, created_by: createdBy })),
  };
}

const json = (v) => Buffer.from(JSON.stringify(v));

async function writeOciLayout(out, { ref, platforms, layers, gzip, cmd }) {
  fs.mkdirSync(out, { recursive: true });
  const blobDir = path.join(out, 'blobs', 'sha256');
  fs.mkdirSync(blobDir, { recursive: true });
  const layerDescs = [];
  const diffIds = [];
  for (const layer of layers) {
    const tmp = path.join(blobDir, 'incoming');
    const { diffId, digest, size } = await compressFile(layer.tar, tmp, gzip, layer.gzipLevel);
    fs.renameSync(tmp, path.join(blobDir, digest.slice(7)));
    layerDescs.push({ mediaType: gzip ? MT.ociLayerGzip : MT.ociLayer, digest, size });
    diffIds.push(diffId);
  }
  const history = layers.map((l) => l.createdBy);
  const manifests = platforms.map((p) => {
    const platform = parsePlatform(p);
    const config = putBlob(out, MT.ociConfig, json(imageConfig(platform, diffIds, history, cmd)));
    const manifest = { schemaVersion: 2, mediaType: MT.ociManifest, config, layers: layerDescs };
    return { ...putBlob(out, MT.ociManifest, json(manifest)), platform, config };
  });

  const { tag } = splitTag(ref);
  const annotations = { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': tag };
  let top;
  let indexDigest = null;
  if (manifests.length > 1) {
    const index = {
      schemaVersion: 2,
      mediaType: MT.ociIndex,
      manifests: manifests.map(({ mediaType, digest, size, platform }) => ({ mediaType, digest, size, platform })),
    };
    top = putBlob(out, MT.ociIndex, json(index));
    indexDigest = top.digest;
  } else {
    const { mediaType, digest, size, platform } = manifests[0];
    top = { mediaType, digest, size, platform };
  }
  fs.writeFileSync(path.join(out, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [{ ...top, annotations }],
  }));
  // docker load reads only manifest.json; like containerd's exporter, describe the first platform.
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify([{
    Config: `blobs/sha256/${manifests[0].config.digest.slice(7)}`,
    RepoTags: [familiarRef(ref)],
    Layers: layerDescs.map((d) => `blobs/sha256/${d.digest.slice(7)}`),
  }]));
  return {
    entries: ['oci-layout', 'index.json', 'manifest.json', 'blobs'],
    indexDigest,
    manifestDigests: manifests.map((m) => m.digest),
    layerDigests: layerDescs.map((d) => d.digest),
    configDigests: manifests.map((m) => m.config.digest),
  };
}

async function writeDockerSave(out, { ref, platforms, layers, cmd }) {
  if (platforms.length !== 1) throw new Error('docker save archives hold one platform; use format "oci" for several');
  fs.mkdirSync(out, { recursive: true });
  const diffIds = [];
  const layerPaths = [];
  let parent = '';
  for (const layer of layers) {
    const { digest } = await compressFile(layer.tar, path.join(out, 'incoming.tar'), false);
    diffIds.push(digest);
    // docker's v1 layer ids chain parent and content; any stable derivation does.
    const id = crypto.createHash('sha256').update(`${parent}\n${digest}`).digest('hex');
    fs.mkdirSync(path.join(out, id));
    fs.renameSync(path.join(out, 'incoming.tar'), path.join(out, id, 'layer.tar'));
    fs.writeFileSync(path.join(out, id, 'VERSION'), '1.0');
    fs.writeFileSync(path.join(out, id, 'json'), JSON.stringify({ id, ...(parent ? { parent } : {}), created: EPOCH }));
    layerPaths.push(`${id}/layer.tar`);
    parent = id;
  }
  const configBuf = json(imageConfig(parsePlatform(platforms[0]), diffIds, layers.map((l) => l.createdBy), cmd));
  const configDigest = sha256(configBuf);
  fs.writeFileSync(path.join(out, `${configDigest.slice(7)}.json`), configBuf);
  const familiar = familiarRef(ref);
  const { repo, tag } = splitTag(familiar);
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify([{
    Config: `${configDigest.slice(7)}.json`,
    RepoTags: [familiar],
    Layers: layerPaths,
  }]));
  fs.writeFileSync(path.join(out, 'repositories'), JSON.stringify({ [repo]: { [tag]: parent } }));
  return {
    entries: fs.readdirSync(out).sort(),
    indexDigest: null,
    // ctr import writes the manifest itself; the archive holds none.
    manifestDigests: [],
    layerDigests: diffIds,
    configDigests: [configDigest],
  };
}

function defaultArchiveName({ ref, format, platforms, extraLayerBytes, gzip }) {
  const slug = ref.replace(/[^A-Za-z0-9.-]+/g, '_');
  const plats = platforms.map((p) => p.replace(/\//g, '-')).join('+');
  return `${slug}-${format}-${plats}${extraLayerBytes ? `-x${extraLayerBytes}` : ''}${gzip ? '' : '-nogz'}.tar`;
}

/**
 * Build a test image archive in dir. Resolves to
 * { archive, ref, indexDigest, manifestDigests, layerDigests, configDigests }.
 * For 'docker' archives manifestDigests is empty (the importer makes the manifest)
 * and layerDigests are the uncompressed layer.tar digests. cmd replaces the
 * config's Cmd (default ["sh"]), e.g. a long sleep for a pause image.
 */
async function buildImage({
  dir, name = DEFAULT_REF, platforms = ['linux/amd64'], format = 'oci', extraLayerBytes = 0,
  gzip = true, archive, cmd,
} = {}) {
  if (!dir) throw new Error('buildImage: dir is required');
  if (!['oci', 'docker'].includes(format)) throw new Error(`buildImage: unknown format ${format}`);
  if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing (apt-get install busybox-static)`);
  const ref = normalizeRef(name);
  fs.mkdirSync(dir, { recursive: true });
  archive = path.resolve(archive || path.join(dir, defaultArchiveName({ ref, format, platforms, extraLayerBytes, gzip })));
  const stage = fs.mkdtempSync(path.join(dir, '.stage-'));
  try {
    const layers = await tarLayers(stage, await stageLayerTrees(stage, extraLayerBytes));
    const out = path.join(stage, 'out');
    const opts = { ref, platforms, layers, gzip, cmd };
    const result = format === 'oci' ? await writeOciLayout(out, opts) : await writeDockerSave(out, opts);
    run('tar', [...REPRODUCIBLE_TAR, '-cf', archive, '-C', out, ...result.entries]);
    const { entries, ...digests } = result;
    return { archive, ref, ...digests };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { buildImage, normalizeRef, familiarRef, parsePlatform, DEFAULT_REF };

if (require.main === module) {
  // node scripts/lib/test-images.js DIR [oci|docker] [platform,...] [extraBytes] [name]
  const [dir, format, plats, extra, name] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: test-images.js DIR [oci|docker] [linux/amd64,linux/arm64] [extraBytes] [name]\n');
    process.exitCode = 2;
  } else {
    buildImage({
      dir,
      format: format || 'oci',
      platforms: plats ? plats.split(',') : undefined,
      extraLayerBytes: Number(extra || 0),
      name: name || undefined,
    }).then(
      (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
      (err) => { process.stderr.write(`test-images: ${err.message}\n`); process.exitCode = 1; },
    );
  }
}
