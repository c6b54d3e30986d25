/**
 * `ctrx snapshots` through the built binary against containerd 1.6 and 2.x:
 * tables byte for byte as ctr prints them, snapshots made by one tool seen by
 * the other, diff layers that the content store returns and the differ
 * re-applies, and bad input refused with one line and no change.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';
import { Client } from '../../internal/client/client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** containerd's chain IDs of a list of diff IDs. */
function chainIDs(diffIDs: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIDs) {
    out.push(out.length ? 'sha256:' + crypto.createHash('sha256').update(`${out[out.length - 1]} ${d}`).digest('hex') : d);
  }
  return out;
}

/** Snapshot numbers differ between two snapshots made the same way; compare the rest. */
const norm = (s: string) => s.replace(/\/snapshots\/\d+\//g, '/snapshots/N/');

describe.each(LINES)('containerd %s: snapshots', (line) => {
  let d: Daemon;
  let ns: string;
  let img: { archive: string; ref: string; configDigests: string[]; manifestDigests: string[] };
  let chains: string[];
  let top: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-snap-'));
  const mine = (args: string[]) => ctrxOn(d, args, { namespace: ns });
  const theirs = (args: string[]) => ctr(d, args, { namespace: ns });

  beforeAll(async () => {
    d = await daemon(line);
    ns = uniqueName('snap');
    img = await buildImage({ dir: work, name: `ctrx/snap-${line}:1`, extraLayerBytes: 2048 });
    expect(theirs(['images', 'import', img.archive]).code).toBe(0);
    const config = JSON.parse(theirs(['content', 'get', img.configDigests[0]]).stdout);
    chains = chainIDs(config.rootfs.diff_ids);
    top = chains[chains.length - 1];
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('lists, draws and measures snapshots exactly as ctr does', () => {
    theirs(['snapshots', 'prepare', 'act', top]);
    // ctrx's view carries a gc.root label (ctr's does not, and the collector may take it at any time).
    expect(mine(['snapshots', 'view', 'ro', chains[0]])).toMatchObject({ code: 0, stderr: '' });
    for (const args of [['snapshots', 'ls'], ['snapshot', 'list'], ['snapshots', 'tree'], ['snapshots', 'usage'], ['snapshots', 'usage', '-b'], ['snapshots', 'usage', 'act', top]]) {
      const r = mine(args);
      expect({ args, stderr: r.stderr, code: r.code }).toEqual({ args, stderr: '', code: 0 });
      expect(r.stdout).toBe(theirs(args).stdout);
    }
    // The parent chain of the unpacked image, and the two made above on it.
    expect(mine(['snapshots', 'tree']).stdout).toBe(` ${chains[0]}\n  \\_ ro\n  \\_ ${chains[1]}\n    \\_ act\n`);
    const json = JSON.parse(mine(['snapshots', 'ls', '--format', 'json']).stdout);
    expect(json.map((i: { name: string; kind: string }) => `${i.name} ${i.kind}`).sort()).toEqual([`${chains[0]} COMMITTED`, `${chains[1]} COMMITTED`, 'act ACTIVE', 'ro VIEW'].sort());
    theirs(['snapshots', 'rm', 'act', 'ro']);
  });

  it('makes snapshots that ctr sees, and sees the ones ctr makes', () => {
    expect(mine(['snapshots', 'prepare', 'mine-a', top])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const info = JSON.parse(theirs(['snapshots', 'info', 'mine-a']).stdout);
    expect(info).toMatchObject({ Kind: 'Active', Name: 'mine-a', Parent: top });
    expect(info.Labels['containerd.io/gc.root']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(mine(['snapshots', 'commit', 'mine-c', 'mine-a']).code).toBe(0);
    expect(theirs(['snapshots', 'ls']).stdout).toMatch(new RegExp(`^mine-c +${top} +Committed +$`, 'm'));
    expect(mine(['snapshots', 'view', 'mine-v', 'mine-c']).code).toBe(0);
    expect(JSON.parse(theirs(['snapshots', 'info', 'mine-v']).stdout)).toMatchObject({ Kind: 'View', Parent: 'mine-c' });

    expect(theirs(['snapshots', 'prepare', 'theirs-a', 'mine-c']).code).toBe(0);
    for (const key of ['theirs-a', 'mine-c', 'mine-v', top]) expect(mine(['snapshots', 'info', key]).stdout).toBe(theirs(['snapshots', 'info', key]).stdout);
    expect(mine(['snapshots', 'rm', 'theirs-a', 'mine-v'])).toMatchObject({ code: 0, stdout: '' });
    expect(mine(['snapshots', 'rm', 'mine-c']).code).toBe(0);
    expect(theirs(['snapshots', 'ls']).stdout).not.toMatch(/mine-|theirs-/);
  });

  it('prints mounts as ctr does: command lines and JSON', () => {
    const p = mine(['snapshots', 'prepare', '--mounts', '-t', '/mnt/x', 'mnt-a', top]);
    expect(p.code).toBe(0);
    theirs(['snapshots', 'prepare', '--mounts', '-t', '/mnt/x', 'mnt-b', top]);
    const theirsOut = theirs(['snapshots', 'prepare', '--mounts', '-t', '/mnt/x', 'mnt-c', top]).stdout;
    expect(norm(p.stdout)).toBe(norm(theirsOut));
    expect(mine(['snapshots', 'mounts', '/mnt/y', 'mnt-b']).stdout).toBe(theirs(['snapshots', 'mounts', '/mnt/y', 'mnt-b']).stdout);
    expect(mine(['snapshots', 'm', '/mnt/y', 'mnt-a']).stdout).toBe(theirs(['snapshots', 'mount', '/mnt/y', 'mnt-a']).stdout);
    mine(['snapshots', 'view', 'mnt-v', chains[0]]);
    expect(mine(['snapshots', 'mounts', '/t', 'mnt-v']).stdout).toBe(theirs(['snapshots', 'mounts', '/t', 'mnt-v']).stdout);
    theirs(['snapshots', 'rm', 'mnt-a', 'mnt-b', 'mnt-c', 'mnt-v']);
  });

  it('sets and clears labels', () => {
    theirs(['snapshots', 'prepare', 'lbl', top]);
    const r = mine(['snapshots', 'label', 'lbl', 'b=2', 'a=1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a=1,b=2,containerd\.io\/gc\.root=\S+\n$/);
    expect(JSON.parse(theirs(['snapshots', 'info', 'lbl']).stdout).Labels).toMatchObject({ a: '1', b: '2' });
    expect(mine(['snapshots', 'label', 'lbl', 'a=']).stdout).toMatch(/^b=2,containerd\.io\/gc\.root=\S+\n$/);
    expect(JSON.parse(theirs(['snapshots', 'info', 'lbl']).stdout).Labels.a).toBeUndefined();
    // No labels given: just print them.
    expect(mine(['snapshots', 'label', 'lbl']).stdout).toMatch(/^b=2,/);
    theirs(['snapshots', 'rm', 'lbl']);
  });

  it('takes --snapshotter on the group or the verb, and defaults to the namespace label', () => {
    expect(mine(['snapshots', '--snapshotter', 'native', 'prepare', 'nat-1']).code).toBe(0);
    expect(mine(['snapshots', 'prepare', '--snapshotter', 'native', 'nat-2']).code).toBe(0);
    const ls = theirs(['snapshots', '--snapshotter', 'native', 'ls']).stdout;
    expect(ls).toMatch(/^nat-1 /m);
    expect(ls).toMatch(/^nat-2 /m);
    expect(mine(['snapshots', '--snapshotter', 'native', 'ls']).stdout).toBe(ls);
    expect(mine(['snapshots', 'ls', '--snapshotter', 'native']).stdout).toBe(ls);
    expect(mine(['snapshots', 'ls']).stdout).not.toMatch(/nat-/);
    // The namespace's default snapshotter label decides when no flag is given.
    theirs(['namespaces', 'label', ns, 'containerd.io/defaults/snapshotter=native']);
    try {
      expect(mine(['snapshots', 'prepare', 'nat-3']).code).toBe(0);
      expect(theirs(['snapshots', '--snapshotter', 'native', 'ls']).stdout).toMatch(/^nat-3 /m);
    } finally {
      theirs(['namespaces', 'label', ns, 'containerd.io/defaults/snapshotter=']);
    }
    theirs(['snapshots', '--snapshotter', 'native', 'rm', 'nat-1', 'nat-2', 'nat-3']);
  });

  it('refuses bad input with one line and changes nothing', () => {
    theirs(['snapshots', 'prepare', 'bad-a', top]);
    theirs(['snapshots', 'commit', 'bad-c', 'bad-a']);
    const before = theirs(['snapshots', 'ls']).stdout;
    const cases: [string[], RegExp][] = [
      [['snapshots', 'info', 'no-such-key'], /^ctrx: snapshot no-such-key does not exist: not found\n$/],
      [['snapshots', 'commit', 'bad-c2', 'bad-c'], /^ctrx: commit "bad-c" as "bad-c2": .*(not found|failed precondition|invalid argument)\n$/],
      [['snapshots', 'rm', chains[0]], /^ctrx: failed to remove "sha256:[0-9a-f]+": cannot remove snapshot with child: failed precondition\n$/],
      [['snapshots', 'prepare', 'bad-c', top], /^ctrx: prepare snapshot "bad-c": .*already exists\n$/],
      [['snapshots', 'prepare', 'bad-x', 'no-parent'], /^ctrx: prepare snapshot "bad-x": .*\n$/],
      [['snapshots', 'label', 'no-such-key', 'a=1'], /^ctrx: label snapshot "no-such-key": .*not found\n$/],
      [['snapshots', 'usage', 'no-such-key'], /^ctrx: usage of snapshot "no-such-key": .*not found\n$/],
      [['snapshots', 'diff', 'no-such-key'], /^ctrx: diff of snapshot "no-such-key": .*not found\n$/],
      [['snapshots', 'commit', 'x'], /^ctrx: a name and an active snapshot key must be provided: invalid argument\n$/],
    ];
    for (const [args, err] of cases) {
      const r = mine(args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, code: 1, stdout: '', stderr: expect.stringMatching(err) });
    }
    expect(theirs(['snapshots', 'ls']).stdout).toBe(before);
    theirs(['snapshots', 'rm', 'bad-c']);
  });

  it('diffs a snapshot into a layer that content get returns and Diff.Apply re-applies', async () => {
    theirs(['snapshots', 'prepare', 'dif-a', top]);
    // Write into dif-a's upper directory (overlayfs keeps it as a plain directory).
    const aMounts = JSON.parse(mine(['snapshots', 'mounts', '--mounts', '/x', 'dif-a']).stdout);
    const upperDir = (ms: { Options: string[] }[]) => ms[0].Options.find((o) => o.startsWith('upperdir='))!.slice('upperdir='.length);
    const aUpper = upperDir(aMounts);
    fs.mkdirSync(path.join(aUpper, 'etc'));
    fs.writeFileSync(path.join(aUpper, 'etc', 'hello.txt'), `hello from ${line}\n`);
    fs.symlinkSync('hello.txt', path.join(aUpper, 'etc', 'hi'));

    const layerFile = path.join(work, 'layer.tgz');
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', d.address, '-n', ns, 'snapshots', 'diff', '--keep', '--label', 'made-by=ctrx', 'dif-a'], {
      env: process.env,
      maxBuffer: 64 << 20,
    });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    fs.writeFileSync(layerFile, r.stdout);
    const digest = 'sha256:' + crypto.createHash('sha256').update(r.stdout).digest('hex');
    expect(r.stdout.subarray(0, 2).toString('hex')).toBe('1f8b'); // gzip, the default media type
    // The content store has the same blob, kept (gc.root) and labelled.
    const got = spawnSync(d.ctr, ['-a', d.address, '-n', ns, 'content', 'get', digest], { maxBuffer: 64 << 20 });
    expect(Buffer.compare(got.stdout, r.stdout)).toBe(0);
    expect(theirs(['content', 'ls']).stdout).toMatch(new RegExp(`^${digest}\\s.*made-by=ctrx`, 'm'));
    // No temporary view is left behind.
    expect(theirs(['snapshots', 'ls']).stdout).not.toMatch(/-view-/);
    // The layer holds the files, and applied on the same parent gives the same tree.
    const list = spawnSync('tar', ['-tzf', layerFile], { encoding: 'utf8' }).stdout;
    expect(list).toMatch(/^etc\/hello\.txt$/m);
    theirs(['snapshots', 'prepare', 'dif-c', top]);
    const cMounts = JSON.parse(mine(['snapshots', 'mounts', '--mounts', '/x', 'dif-c']).stdout);
    const client = new Client({ address: d.address, namespace: ns });
    try {
      const res = await client.unary('containerd.services.diff.v1.Diff', 'Apply', {
        diff: { media_type: GZIP_LAYER, digest, size: String(r.stdout.length) },
        mounts: cMounts.map((m: { Type: string; Source: string; Options: string[] }) => ({ type: m.Type, source: m.Source, options: m.Options })),
      });
      expect(res.applied?.digest).toMatch(/^sha256:/);
    } finally {
      client.close();
    }
    const cmp = spawnSync('diff', ['-r', '--no-dereference', aUpper, upperDir(cMounts)], { encoding: 'utf8' });
    expect(cmp.stdout + cmp.stderr).toBe('');
    expect(cmp.status).toBe(0);
    // With both snapshots named (the parent, a committed one, through a temporary view): the same change.
    const both = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', d.address, '-n', ns, 'snapshots', 'diff', top, 'dif-a'], { env: process.env });
    expect(both.stderr.toString()).toBe('');
    expect(spawnSync('tar', ['-tz'], { input: both.stdout, encoding: 'utf8' }).stdout).toBe(list);
    expect(theirs(['snapshots', 'ls']).stdout).not.toMatch(/-view-/);
    theirs(['snapshots', 'rm', 'dif-a', 'dif-c']);
    theirs(['content', 'rm', digest]);
  });

  it('unpacks an image by its target digest', () => {
    const other = uniqueName('unp');
    const o = (args: string[]) => ctr(d, args, { namespace: other });
    expect(o(['images', 'import', '--no-unpack', img.archive]).code).toBe(0);
    expect(o(['snapshots', 'ls']).stdout).not.toContain(top);
    const r = ctrxOn(d, ['snapshots', 'unpack', img.manifestDigests[0]], { namespace: other });
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: `unpacking ${img.manifestDigests[0]} (application/vnd.oci.image.manifest.v1+json)...done\n` });
    expect(o(['snapshots', 'tree']).stdout).toBe(` ${chains[0]}\n  \\_ ${chains[1]}\n`);
    const bad = ctrxOn(d, ['snapshots', 'unpack', 'sha256:' + '0'.repeat(64)], { namespace: other });
    expect(bad).toMatchObject({ code: 1, stdout: '', stderr: `ctrx: unpack sha256:${'0'.repeat(64)}: manifest not found\n` });
    expect(ctrxOn(d, ['snapshots', 'unpack', 'nonsense'], { namespace: other })).toMatchObject({ code: 1, stderr: 'ctrx: invalid digest "nonsense": invalid argument\n' });
  });
});
