/**
 * `ctrx content fetch`, `fetch-object`, `fetch-blob` and `push-object`
 * through the built binary: fetch fills the content store and the image
 * record without unpacking (checked with the real ctr); the object commands
 * move single objects between registry and stdout or the content store.
 */
import * as path from 'path';
import { createHash } from 'crypto';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, LINES, privateRegistry, Registry, runDir, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Run ctrx and keep stdout as bytes (blobs are binary). */
function ctrxBytes(args: string[]): { code: number; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: process.env, timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString() };
}

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let reg: Registry;
  let img: { archive: string; ref: string; indexDigest: string; manifestDigests: string[]; layerDigests: string[]; configDigests: string[] };
  let ref: string;
  let seedNs: string;
  beforeAll(async () => {
    d = await daemon(line);
    reg = await privateRegistry('plain');
    img = await buildImage({ dir: path.join(runDir(), 'fetch-images'), name: 'docker.io/ctrx/fetchme:t', platforms: ['linux/amd64', 'linux/arm64'] });
    seedNs = uniqueName('seed');
    expect(ctr(d, ['images', 'import', '--all-platforms', img.archive], { namespace: seedNs }).code).toBe(0);
    ref = `${reg.host}/fetch/${line}:1`;
    expect(ctr(d, ['images', 'push', '--plain-http', ref, img.ref], { namespace: seedNs }).code).toBe(0);
  });

  it('content fetch stores the image and its content without unpacking it', () => {
    const ns = uniqueName('fetch');
    const r = ctrxOn(d, ['content', 'fetch', '--plain-http', '--all-platforms', ref], { namespace: ns });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout).toBe(`${ref}\n`);
    const content = ctr(d, ['content', 'ls', '-q'], { namespace: ns }).stdout;
    for (const dg of [img.indexDigest, ...img.manifestDigests, ...img.configDigests, ...img.layerDigests]) expect(content).toContain(dg);
    expect(ctr(d, ['snapshots', 'ls'], { namespace: ns }).stdout.trim().split('\n')).toHaveLength(1); // header only
    expect(ctr(d, ['images', 'check'], { namespace: ns }).stdout).toMatch(/complete \(\d+\/\d+\)/);
  });

  it('content fetch --metadata-only takes manifests and configs, no layers', () => {
    const ns = uniqueName('fetch');
    const r = ctrxOn(d, ['content', 'fetch', '-q', '--plain-http', '--metadata-only', ref], { namespace: ns });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const content = ctr(d, ['content', 'ls', '-q'], { namespace: ns }).stdout;
    for (const dg of [img.indexDigest, ...img.manifestDigests, ...img.configDigests]) expect(content).toContain(dg);
    for (const dg of img.layerDigests) expect(content).not.toContain(dg);
  });

  it('fetch-object writes the resolved object, or a given digest, to stdout (no daemon needed)', () => {
    const idx = ctrxBytes(['-a', '/nonexistent.sock', 'content', 'fetch-object', '--plain-http', ref]);
    expect(idx.stderr).toBe('');
    expect(sha(idx.stdout)).toBe(img.indexDigest);
    const layer = ctrxBytes(['content', 'fetch-object', '--plain-http', ref, img.layerDigests[0]]);
    expect(sha(layer.stdout)).toBe(img.layerDigests[0]);
    const byDigestRef = ctrxBytes(['content', 'fetch-object', '--plain-http', `${reg.host}/fetch/${line}@${img.configDigests[0]}`]);
    expect(sha(byDigestRef.stdout)).toBe(img.configDigests[0]);
  });

  it('fetch-blob writes each blob to stdout in order', () => {
    const r = ctrxBytes(['content', 'fetch-blob', '--plain-http', `${reg.host}/fetch/${line}`, img.configDigests[0], img.layerDigests[0]]);
    expect(r.code).toBe(0);
    const cfg = ctr(d, ['content', 'get', img.configDigests[0]], { namespace: seedNs }).stdout;
    const n = Buffer.byteLength(cfg);
    expect(sha(r.stdout.subarray(0, n))).toBe(img.configDigests[0]);
    expect(sha(r.stdout.subarray(n))).toBe(img.layerDigests[0]);
    const missing = ctrxBytes(['content', 'fetch-blob', '--plain-http', `${reg.host}/fetch/${line}`, `sha256:${'0'.repeat(64)}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ctrx: .*not found\n$/);
  });

  it('push-object uploads a stored blob under a media type, and a manifest under the tag', () => {
    const target = `${reg.host}/pushobj/${line}:m`;
    const cfg = ctrxOn(d, ['content', 'push-object', '--plain-http', target, img.configDigests[0], 'application/vnd.oci.image.config.v1+json'], { namespace: seedNs });
    expect(cfg.stderr).toBe('');
    expect(cfg.stdout).toBe(`Pushed ${img.configDigests[0]} application/vnd.oci.image.config.v1+json\n`);
    const layer = ctrxOn(d, ['content', 'push-object', '--plain-http', target, img.layerDigests[0], 'application/vnd.oci.image.layer.v1.tar+gzip'], { namespace: seedNs });
    expect(layer.code).toBe(0);
    const man = ctrxOn(d, ['content', 'push-object', '--plain-http', target, img.manifestDigests[0], 'application/vnd.oci.image.manifest.v1+json'], { namespace: seedNs });
    expect(man.stdout).toBe(`Pushed ${img.manifestDigests[0]} application/vnd.oci.image.manifest.v1+json\n`);
    // ctr can pull the single-manifest image that now sits under the tag.
    const ns = uniqueName('po');
    expect(ctr(d, ['images', 'pull', '--plain-http', target], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['images', 'ls'], { namespace: ns }).stdout).toContain(img.manifestDigests[0]);
  });
});
