/**
 * images import/export/list/check/tag/label/rm/mount/convert through the built
 * binary against real containerd 1.6 and 2.x, each result checked with that
 * line's own ctr: ctrx-imported images run under `ctr run`, archives cross
 * between the tools both ways, tables match ctr's byte for byte, bad input
 * leaves nothing behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

interface Built {
  archive: string;
  ref: string;
  indexDigest: string | null;
  manifestDigests: string[];
  layerDigests: string[];
  configDigests: string[];
}

let work: string;
let oci: Built;
let multi: Built;
let docker: Built;
let armOnly: Built;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-img-'));
  oci = await buildImage({ dir: work, name: 'ctrx/one:1' });
  multi = await buildImage({ dir: work, name: 'ctrx/multi:1', platforms: ['linux/amd64', 'linux/arm64'] });
  docker = await buildImage({ dir: work, name: 'ctrx/dock:1', format: 'docker' });
  armOnly = await buildImage({ dir: work, name: 'ctrx/arm:1', platforms: ['linux/arm64'] });
}, 120_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every committed blob digest in a namespace, after a synchronous collection. */
function blobs(d: Daemon, ns: string): string[] {
  const id = uniqueName('gc');
  ctr(d, ['leases', 'create', '--id', id], { namespace: ns });
  ctr(d, ['leases', 'rm', '--sync', id], { namespace: ns });
  return ctr(d, ['content', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean).sort();
}

function tarBlobs(archive: string): string[] {
  const { execFileSync } = require('child_process') as typeof import('child_process');
  return execFileSync('tar', ['tf', archive], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /^blobs\/sha256\/[a-f0-9]{64}$/.test(l))
    .sort();
}

/** Run ctrx with binary stdin (the rig's helper passes text). */
function ctrxBytes(d: Daemon, args: string[], input: Buffer): { code: number; stdout: string; stderr: string } {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', d.address, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon(line);
  });

  it('imports a multi-platform OCI archive on the client path that ctr then lists, checks and runs', () => {
    const ns = uniqueName('imp');
    const r = ctrxOn(d, ['images', 'import', '--local', multi.archive], { namespace: ns });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`unpacking ${multi.ref} (${multi.indexDigest})...done\n`);
    // Tables byte for byte as ctr prints them.
    expect(ctrxOn(d, ['i', 'ls'], { namespace: ns }).stdout).toBe(ctr(d, ['i', 'ls'], { namespace: ns }).stdout);
    expect(ctrxOn(d, ['i', 'ls', '-q'], { namespace: ns }).stdout).toBe(`${multi.ref}\n`);
    expect(ctrxOn(d, ['i', 'check'], { namespace: ns }).stdout).toBe(ctr(d, ['i', 'check'], { namespace: ns }).stdout);
    expect(ctrxOn(d, ['i', 'check', '-q'], { namespace: ns }).stdout).toBe(`${multi.ref}\n`);
    // The labels containerd's own unpack leaves, so the collector keeps exactly the image.
    const content = ctr(d, ['content', 'ls'], { namespace: ns }).stdout;
    expect(content).toMatch(new RegExp(`${multi.layerDigests[0]}\\t.*containerd.io/uncompressed=sha256:`));
    expect(content).toMatch(/containerd.io\/gc.ref.snapshot.overlayfs=sha256:/);
    expect(content).toContain(`containerd.io/gc.ref.content.m.0=${multi.manifestDigests[0]}`);
    expect(blobs(d, ns)).toEqual([multi.indexDigest, multi.manifestDigests[0], multi.configDigests[0], multi.layerDigests[0]].sort());
    expect(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
    const run = ctr(d, ['run', '--rm', multi.ref, uniqueName('r'), 'echo', 'hello from ctrx import'], { namespace: ns });
    expect(run.stdout).toBe('hello from ctrx import\n');
    expect(run.code).toBe(0);
  });

  it('imports a docker save archive from stdin into the same manifest ctr makes', () => {
    const mine = uniqueName('dk');
    const theirs = uniqueName('dkc');
    const r = ctrxBytes(d, ['-n', mine, 'images', 'import', '-'], fs.readFileSync(docker.archive));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ctr(d, ['images', 'import', docker.archive], { namespace: theirs }).code).toBe(0);
    expect(ctrxOn(d, ['i', 'ls'], { namespace: mine }).stdout).toBe(ctr(d, ['i', 'ls'], { namespace: theirs }).stdout);
    expect(blobs(d, mine)).toEqual(blobs(d, theirs));
    expect(ctr(d, ['run', '--rm', docker.ref, uniqueName('r'), 'true'], { namespace: mine }).code).toBe(0);
  });

  it('exports what ctr imported; ctr re-imports it and runs it; both exports hold the same blobs', () => {
    const ns = uniqueName('exp');
    const back = uniqueName('back');
    expect(ctr(d, ['images', 'import', '--all-platforms', multi.archive], { namespace: ns }).code).toBe(0);
    const mineTar = path.join(work, `${ns}-ctrx.tar`);
    const theirsTar = path.join(work, `${ns}-ctr.tar`);
    const r = ctrxOn(d, ['images', 'export', '--all-platforms', mineTar, multi.ref], { namespace: ns });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ctr(d, ['images', 'export', '--all-platforms', theirsTar, multi.ref], { namespace: ns }).code).toBe(0);
    expect(tarBlobs(mineTar)).toEqual(tarBlobs(theirsTar));
    const { execFileSync } = require('child_process') as typeof import('child_process');
    for (const f of ['index.json', 'manifest.json', 'oci-layout']) {
      expect(execFileSync('tar', ['xOf', mineTar, f], { encoding: 'utf8' })).toBe(execFileSync('tar', ['xOf', theirsTar, f], { encoding: 'utf8' }));
    }
    expect(ctr(d, ['images', 'import', mineTar], { namespace: back }).code).toBe(0);
    expect(ctr(d, ['run', '--rm', multi.ref, uniqueName('r'), 'echo', 'round trip'], { namespace: back }).stdout).toBe('round trip\n');
  });

  it('exports to stdout for the host platform only by default', () => {
    const ns = uniqueName('exs');
    expect(ctrxOn(d, ['images', 'import', '--quiet', '--no-unpack', oci.archive], { namespace: ns })).toMatchObject({ code: 0, stdout: '' });
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', d.address, '-n', ns, 'i', 'export', '-', oci.ref], { maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    const file = path.join(work, `${ns}.tar`);
    fs.writeFileSync(file, r.stdout);
    expect(tarBlobs(file)).toEqual([oci.manifestDigests[0], oci.configDigests[0], oci.layerDigests[0]].map((x) => `blobs/sha256/${x.slice(7)}`).sort());
  });

  describe('bad input leaves nothing behind', () => {
    const nothingLeft = (ns: string) => {
      expect(ctr(d, ['i', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
      expect(blobs(d, ns)).toEqual([]);
      expect(ctr(d, ['content', 'active'], { namespace: ns }).stdout.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    };

    it('a truncated archive', () => {
      const ns = uniqueName('bad');
      const cut = path.join(work, 'truncated.tar');
      fs.writeFileSync(cut, fs.readFileSync(oci.archive).subarray(0, 700_000));
      const r = ctrxOn(d, ['images', 'import', '--local', cut], { namespace: ns });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^ctrx: reading archive: .*truncated/);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      nothingLeft(ns);
    });

    it('a blob whose content does not match its digest', () => {
      const ns = uniqueName('bad');
      const buf = Buffer.from(fs.readFileSync(oci.archive));
      // Flip a byte in the middle of the layer: tar headers stay valid, the digest does not.
      const name = Buffer.from(`blobs/sha256/${oci.layerDigests[0].slice(7)}`);
      const at = buf.indexOf(name);
      buf[at + 512 + 100_000] ^= 0xff;
      const bad = path.join(work, 'corrupt.tar');
      fs.writeFileSync(bad, buf);
      const r = ctrxOn(d, ['images', 'import', '--local', bad], { namespace: ns });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^ctrx: blob blobs/sha256/${oci.layerDigests[0].slice(7)} in the archive is corrupt: unexpected digest`));
      nothingLeft(ns);
    });

    it('an archive with no manifest for this platform', () => {
      const ns = uniqueName('bad');
      const r = ctrxOn(d, ['images', 'import', '--local', armOnly.archive], { namespace: ns });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('ctrx: image might be filtered out (no manifest in the archive matches the platform)\n');
      nothingLeft(ns);
    });

    it('exporting an unknown image', () => {
      const ns = uniqueName('bad');
      const out = path.join(work, `${ns}.tar`);
      const r = ctrxOn(d, ['images', 'export', out, 'nope:1'], { namespace: ns });
      expect(r).toMatchObject({ code: 1, stderr: 'ctrx: image "nope:1": not found\n' });
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(work).filter((f) => f.includes('.ctrx-'))).toEqual([]);
    });
  });

  it('tags, labels and deletes images as ctr sees them', () => {
    const ns = uniqueName('tag');
    ctr(d, ['images', 'import', '--no-unpack', oci.archive], { namespace: ns });
    expect(ctrxOn(d, ['i', 'tag', oci.ref, 'a:1', 'b:1'], { namespace: ns }).stdout).toBe('a:1\nb:1\n');
    expect(ctrxOn(d, ['i', 'tag', oci.ref, 'a:1'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: image "a:1": already exists\n' });
    expect(ctrxOn(d, ['i', 'tag', '--force', oci.ref, 'a:1'], { namespace: ns }).code).toBe(0);
    expect(ctrxOn(d, ['i', 'label', 'a:1', 'x=1', 'y=2'], { namespace: ns }).stdout).toBe('x=1,y=2\n');
    expect(ctrxOn(d, ['i', 'label', 'a:1', 'x='], { namespace: ns }).stdout).toBe('y=2\n');
    expect(ctr(d, ['i', 'ls'], { namespace: ns }).stdout).toMatch(/^a:1 .* y=2 +$/m);
    expect(ctrxOn(d, ['i', 'ls'], { namespace: ns }).stdout).toBe(ctr(d, ['i', 'ls'], { namespace: ns }).stdout);
    expect(ctrxOn(d, ['i', 'ls', 'labels.y==2'], { namespace: ns }).stdout).toBe(ctr(d, ['i', 'ls', 'labels.y==2'], { namespace: ns }).stdout);
    const rm = ctrxOn(d, ['i', 'rm', '--sync', 'a:1', 'missing:1', 'b:1'], { namespace: ns });
    expect(rm).toMatchObject({ code: 0, stdout: 'a:1\nb:1\n' });
    expect(rm.stderr).toContain('missing:1: image not found');
    expect(ctr(d, ['i', 'ls', '-q'], { namespace: ns }).stdout).toBe(`${oci.ref}\n`);
  });

  it('inspects like ctr 2.x draws the tree, with and without --content', () => {
    const ns = uniqueName('insp');
    ctr(d, ['images', 'import', '--all-platforms', multi.archive], { namespace: ns });
    ctr(d, ['images', 'import', docker.archive], { namespace: ns });
    ctr(d, ['images', 'label', docker.ref, 'k=v'], { namespace: ns });
    // Go prints label maps in random order: compare each Labels box sorted.
    const norm = (t: string) => t.replace(/(┌────────Labels─────────\n)((?:.*│".*\n)+)/g, (_m, head: string, body: string) => head + body.split('\n').filter(Boolean).sort().join('\n') + '\n');
    for (const ref of [multi.ref, docker.ref]) {
      for (const flags of [[], ['--content']]) {
        const mine = ctrxOn(d, ['images', 'inspect', ...flags, ref], { namespace: ns });
        const theirs = ctr(d, line === '2' ? ['images', 'inspect', ...flags, ref] : ['images', 'ls'], { namespace: ns });
        expect(mine).toMatchObject({ code: 0, stderr: '' });
        if (line === '2') expect(norm(mine.stdout)).toBe(norm(theirs.stdout));
        else expect(mine.stdout).toMatch(new RegExp(`^${ref}\n│    Created: .*\n│    Updated: .*\n`));
      }
    }
  });

  it('converts to uncompressed OCI exactly as ctr does', () => {
    const ns = uniqueName('conv');
    ctr(d, ['images', 'import', docker.archive], { namespace: ns });
    const mine = ctrxOn(d, ['i', 'convert', '--oci', '--uncompress', docker.ref, 'conv:mine'], { namespace: ns });
    const theirs = ctr(d, ['i', 'convert', '--oci', '--uncompress', docker.ref, 'conv:theirs'], { namespace: ns });
    expect(mine.code).toBe(0);
    expect(mine.stdout).toBe(theirs.stdout);
    expect(ctr(d, ['run', '--rm', 'conv:mine', uniqueName('r'), 'true'], { namespace: ns }).code).toBe(0);
  });

  it('mounts an image read-only and unmounts it with --rm', () => {
    const ns = uniqueName('mnt');
    ctr(d, ['images', 'import', oci.archive], { namespace: ns });
    const target = fs.mkdtempSync(path.join(work, 'mnt-'));
    const r = ctrxOn(d, ['i', 'mount', oci.ref, target], { namespace: ns });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^sha256:[a-f0-9]{64}\\n${target}\\n$`));
    expect(fs.existsSync(path.join(target, 'bin', 'busybox'))).toBe(true);
    expect(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe(`${target}\n`);
    expect(ctrxOn(d, ['i', 'unmount', '--rm', target], { namespace: ns }).stdout).toBe(`${target}\n`);
    expect(fs.existsSync(path.join(target, 'bin'))).toBe(false);
    expect(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
  });
});

/**
 * containerd 2.x's default path for import, export and tag: the daemon's
 * Transfer service, the archive streamed over a Streaming stream. Results are
 * compared with what 2.x's ctr (which takes the same path) makes.
 */
describe('containerd 2 Transfer path', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon('2');
  });

  /** `ctr i ls` of a namespace, for comparing two namespaces. */
  const list = (ns: string) => ctr(d, ['i', 'ls'], { namespace: ns }).stdout;

  it.each([
    ['OCI, one platform', () => oci],
    ['OCI, two platforms', () => multi],
    ['docker save', () => docker],
  ])('imports a %s archive as ctr does; ctr runs it', (_what, img) => {
    const b = img();
    const mine = uniqueName('ti');
    const theirs = uniqueName('tic');
    const r = ctrxOn(d, ['images', 'import', b.archive], { namespace: mine });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Progress events only the daemon sends: the Transfer path was taken.
    expect(r.stdout).toContain(`${b.ref}: saved\n`);
    expect(r.stdout).toContain('Completed import\n');
    expect(ctr(d, ['images', 'import', b.archive], { namespace: theirs }).code).toBe(0);
    expect(list(mine)).toBe(list(theirs));
    expect(blobs(d, mine)).toEqual(blobs(d, theirs));
    expect(ctr(d, ['snapshots', 'ls'], { namespace: mine }).stdout.split('\n').length).toBeGreaterThan(2);
    expect(ctr(d, ['leases', 'ls', '-q'], { namespace: mine }).stdout).toBe('');
    const run = ctr(d, ['run', '--rm', b.ref, uniqueName('r'), 'echo', 'via transfer'], { namespace: mine });
    expect(run.stdout).toBe('via transfer\n');
  });

  it('passes the naming, platform, unpack and label flags as ctr does', () => {
    const flags = ['--base-name', 'docker.io/ctrx/multi', '--index-name', 'idx:1', '--all-platforms', '--no-unpack', '--label', 'k=v'];
    const mine = uniqueName('tf');
    const theirs = uniqueName('tfc');
    expect(ctrxOn(d, ['images', 'import', '--quiet', ...flags, multi.archive], { namespace: mine })).toMatchObject({ code: 0, stderr: '', stdout: '' });
    expect(ctr(d, ['images', 'import', ...flags, multi.archive], { namespace: theirs }).code).toBe(0);
    expect(list(mine)).toBe(list(theirs));
    expect(list(mine)).toMatch(/^idx:1 .* k=v +$/m);
    expect(ctr(d, ['snapshots', 'ls'], { namespace: mine }).stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(blobs(d, mine)).toEqual(blobs(d, theirs));
    // --digests names each image <prefix>@<digest> as well; --skip-digest-for-named not for named ones
    // (ctr 2.1 sends the inverse of that flag; ctrx keeps the documented meaning, as the client path has it).
    const dg = uniqueName('td');
    ctrxOn(d, ['images', 'import', '--no-unpack', '--digests', '--base-name', 'docker.io/ctrx/one', oci.archive], { namespace: dg });
    expect(ctr(d, ['i', 'ls', '-q'], { namespace: dg }).stdout).toBe(`docker.io/ctrx/one:1\ndocker.io/ctrx/one@${oci.manifestDigests[0]}\n`);
    const sk = uniqueName('ts');
    ctrxOn(d, ['images', 'import', '--no-unpack', '--digests', '--skip-digest-for-named', '--base-name', 'docker.io/ctrx/one', oci.archive], { namespace: sk });
    expect(ctr(d, ['i', 'ls', '-q'], { namespace: sk }).stdout).toBe('docker.io/ctrx/one:1\n');
  });

  it('chooses the client path for --local and for flags only it has; --transfer with those is refused', () => {
    const ns = uniqueName('tl');
    const local = ctrxOn(d, ['images', 'import', '--discard-unpacked-layers', oci.archive], { namespace: ns });
    expect(local).toMatchObject({ code: 0, stderr: '', stdout: `unpacking ${oci.ref} (${oci.manifestDigests[0]})...done\n` });
    const refused = ctrxOn(d, ['images', 'import', '--transfer', '--discard-unpacked-layers', oci.archive], { namespace: ns });
    expect(refused).toMatchObject({ code: 1, stderr: 'ctrx: "--discard-unpacked-layers" requires "--local" flag: invalid argument\n' });
  });

  it('exports through the daemon the same bytes ctr exports; ctr re-imports and runs it', () => {
    const ns = uniqueName('te');
    const back = uniqueName('teb');
    expect(ctr(d, ['images', 'import', '--all-platforms', multi.archive], { namespace: ns }).code).toBe(0);
    const mineTar = path.join(work, `${ns}-ctrx.tar`);
    const theirsTar = path.join(work, `${ns}-ctr.tar`);
    for (const extra of [[], ['--all-platforms'], ['--platform', 'linux/arm64', '--skip-manifest-json']]) {
      const r = ctrxOn(d, ['images', 'export', ...extra, mineTar, multi.ref], { namespace: ns });
      expect(r).toMatchObject({ code: 0, stderr: '', stdout: '' });
      expect(ctr(d, ['images', 'export', ...extra, theirsTar, multi.ref], { namespace: ns }).code).toBe(0);
      const [a, b] = [fs.readFileSync(mineTar), fs.readFileSync(theirsTar)];
      // On a difference, name the flags and the first differing byte.
      const at = a.findIndex((x, i) => x !== b[i]);
      expect({ extra, size: a.length, firstDifference: at < 0 && a.length === b.length ? -1 : at }).toEqual({ extra, size: b.length, firstDifference: -1 });
    }
    // To stdout, and back in with ctr.
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const out = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', d.address, '-n', ns, 'i', 'export', '-', multi.ref], { maxBuffer: 64 << 20 });
    expect(out.status).toBe(0);
    const viaStdout = path.join(work, `${ns}-stdout.tar`);
    fs.writeFileSync(viaStdout, out.stdout);
    expect(ctr(d, ['images', 'import', viaStdout], { namespace: back }).code).toBe(0);
    expect(ctr(d, ['run', '--rm', multi.ref, uniqueName('r'), 'echo', 'round trip'], { namespace: back }).stdout).toBe('round trip\n');
    expect(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
  });

  it('tags through the daemon; ctr sees the new names', () => {
    const ns = uniqueName('tt');
    ctr(d, ['images', 'import', '--no-unpack', oci.archive], { namespace: ns });
    expect(ctrxOn(d, ['i', 'tag', '--transfer', oci.ref, 'x:1', 'y:1'], { namespace: ns })).toMatchObject({ code: 0, stdout: 'x:1\ny:1\n', stderr: '' });
    expect(ctr(d, ['i', 'ls', '-q'], { namespace: ns }).stdout).toBe(`${oci.ref}\nx:1\ny:1\n`);
    expect(ctr(d, ['i', 'ls'], { namespace: ns }).stdout).toMatch(new RegExp(`^x:1 .*${oci.manifestDigests[0]}`, 'm'));
    expect(ctrxOn(d, ['i', 'tag', oci.ref, 'x:1'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: image "x:1": already exists\n' });
    expect(ctrxOn(d, ['i', 'tag', 'nope:1', 'z:1'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: image "nope:1": not found\n' });
    expect(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
  });

  describe('a bad archive gives one line and leaves nothing', () => {
    const nothingLeft = (ns: string) => {
      expect(ctr(d, ['i', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
      expect(blobs(d, ns)).toEqual([]);
      expect(ctr(d, ['content', 'active'], { namespace: ns }).stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
    };
    it.each([
      ['truncated', () => fs.readFileSync(oci.archive).subarray(0, 700_000), /^ctrx: failed to ingest "blobs\/sha256\/[a-f0-9]{64}": short read: expected \d+ bytes but got \d+: unexpected EOF\n$/],
      ['not a tar', () => Buffer.from('x'.repeat(4096)), /^ctrx: .*invalid tar header\n$/],
      ['for another platform', () => fs.readFileSync(armOnly.archive), /^ctrx: image might be filtered out\n$/],
    ])('%s', (what, bytes, message) => {
      const ns = uniqueName('tb');
      const file = path.join(work, `${ns}.tar`);
      fs.writeFileSync(file, bytes());
      const r = ctrxOn(d, ['images', 'import', file], { namespace: ns });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      nothingLeft(ns);
    });
  });
});
