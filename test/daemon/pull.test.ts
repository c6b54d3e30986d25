/**
 * `ctrx images pull` through the built binary against containerd 1.6 (client
 * path) and 2.x (Transfer service by default, client path with --local), from
 * the test registry in its three set-ups; every result checked with the real
 * ctr (the pulled image runs under `ctr run --rm`), and bad input leaves
 * neither an image record nor the image's content behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ctr, ctrxOn, daemon, Daemon, LINES, privateRegistry, Registry, runDir, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

type Kind = 'plain' | 'basic' | 'tls';
type Reg = Registry & { hostsDir: string };

/** Flags that reach a registry of this kind (what ctr and ctrx both accept). */
function regFlags(r: Reg, kind: Kind): string[] {
  if (kind === 'plain') return ['--plain-http'];
  if (kind === 'basic') return ['--plain-http', '-u', `${r.user}:${r.password}`];
  return ['--hosts-dir', r.hostsDir];
}

interface Seeded {
  ref: string;
  /** The pushed root: the index of a multi-platform image, else the manifest. */
  target: string;
  layerDigests: string[];
}

/** Build an image (a unique filler layer when asked), import it with ctr and push it with ctr to host/repo:tag. */
async function seed(d: Daemon, r: Reg, kind: Kind, repoTag: string, opts: { platforms?: string[]; extra?: number } = {}): Promise<Seeded> {
  const dir = path.join(runDir(), 'pull-images');
  const img = await buildImage({ dir, name: `docker.io/ctrx/seed-${path.basename(repoTag).replace(/[:]/g, '-')}:t`, platforms: opts.platforms ?? ['linux/amd64'], extraLayerBytes: opts.extra ?? 0 });
  const ns = uniqueName('seed');
  const imp = ctr(d, ['images', 'import', '--all-platforms', img.archive], { namespace: ns });
  if (imp.code !== 0) throw new Error(`ctr import: ${imp.stderr}`);
  const ref = `${r.host}/${repoTag}`;
  const push = ctr(d, ['images', 'push', ...regFlags(r, kind), ref, img.ref], { namespace: ns });
  if (push.code !== 0) throw new Error(`ctr push: ${push.stderr}`);
  return { ref, target: img.indexDigest ?? img.manifestDigests[0], layerDigests: img.layerDigests };
}

const lines = (s: string) => s.split('\n').filter(Boolean);

/** Nothing of the image may be left: no record, no committed index, no lease. */
function expectNothingLeft(d: Daemon, ns: string, ref: string, digests: string[]) {
  expect(lines(ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout)).not.toContain(ref);
  const content = ctr(d, ['content', 'ls', '-q'], { namespace: ns }).stdout;
  for (const dg of digests) expect(content).not.toContain(dg);
  expect(lines(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout)).toEqual([]);
}

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  const regs: Partial<Record<Kind, Reg>> = {};
  beforeAll(async () => {
    d = await daemon(line);
    for (const k of ['plain', 'basic', 'tls'] as Kind[]) regs[k] = (await privateRegistry(k)) as Reg;
  });

  describe.each(['plain', 'basic', 'tls'] as Kind[])('%s registry', (kind) => {
    it('pulls an image that ctr then runs, with the labels ctr sets', async () => {
      const r = regs[kind]!;
      const s = await seed(d, r, kind, `pull/${kind}-${line}:1`);
      const ns = uniqueName('pull');
      const res = ctrxOn(d, ['images', 'pull', ...regFlags(r, kind), s.ref], { namespace: ns });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      if (line === '1.6') expect(res.stdout).toMatch(new RegExp(`unpacking linux/amd64 ${s.target}\\.\\.\\.\\ndone: [0-9.]+m?s\\t\\n$`));
      else expect(res.stdout).toContain(`Completed pull from OCI Registry (${s.ref})`);
      const ls = ctr(d, ['images', 'ls'], { namespace: ns }).stdout;
      expect(ls).toContain(s.target);
      const run = ctr(d, ['run', '--rm', s.ref, uniqueName('c'), 'echo', 'pulled-by-ctrx'], { namespace: ns });
      expect(run.stdout).toBe('pulled-by-ctrx\n');
      const content = ctr(d, ['content', 'ls'], { namespace: ns }).stdout;
      const manifest = content.split('\n').find((l) => l.startsWith(s.target))!;
      expect(manifest).toContain(`containerd.io/gc.ref.content.l.0=${s.layerDigests[0]}`);
      expect(manifest).toContain('containerd.io/gc.ref.content.config=sha256:');
      expect(manifest).toContain(`containerd.io/distribution.source.127.0.0.1=pull/${kind}-${line}`);
      const layer = content.split('\n').find((l) => l.startsWith(s.layerDigests[0]))!;
      expect(layer).toMatch(/containerd\.io\/uncompressed=sha256:/);
      expect(lines(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout)).toEqual([]);
    });
  });

  it('pulls client-side when asked (--local), prints the chain ID, and takes a CA file', async () => {
    const r = regs.tls!;
    const s = await seed(d, r, 'tls', `pull/local-${line}:1`);
    const ns = uniqueName('pull');
    const res = ctrxOn(d, ['images', 'pull', '--local', '--print-chainid', '--tlscacert', r.caFile!, '--label', 'x=y', s.ref], { namespace: ns });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const chain = /image chain ID: (sha256:[a-f0-9]{64})\n/.exec(res.stdout)?.[1];
    expect(chain).toBeDefined();
    expect(ctr(d, ['snapshots', 'ls'], { namespace: ns }).stdout).toContain(chain!);
    expect(ctr(d, ['images', 'ls'], { namespace: ns }).stdout).toMatch(/x=y/);
    // Progress lines on a non-terminal stdout: one per blob state change, then the totals.
    expect(res.stdout).toMatch(/layer-sha256:[a-f0-9]{64}: done\n/);
    expect(res.stdout).toMatch(/elapsed: [0-9.]+ ?s total: /);
  });

  it('prints no progress with --quiet, and skips blobs the namespace already has', async () => {
    const r = regs.plain!;
    const s = await seed(d, r, 'plain', `pull/quiet-${line}:1`);
    const ns = uniqueName('pull');
    expect(ctrxOn(d, ['images', 'pull', '-q', '--local', '--plain-http', s.ref], { namespace: ns }).code).toBe(0);
    const again = ctrxOn(d, ['images', 'pull', '--local', '--plain-http', s.ref], { namespace: ns });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`layer-${s.layerDigests[0]}: exists`));
    const quiet = ctrxOn(d, ['images', 'pull', '-q', '--local', '--plain-http', s.ref], { namespace: ns });
    expect(quiet.stdout).not.toMatch(/layer-sha256/);
  });

  it('pulls every platform of a multi-platform image with --all-platforms', async () => {
    const r = regs.plain!;
    const s = await seed(d, r, 'plain', `pull/multi-${line}:1`, { platforms: ['linux/amd64', 'linux/arm64'] });
    const ns = uniqueName('pull');
    const res = ctrxOn(d, ['images', 'pull', '--all-platforms', '--plain-http', s.ref], { namespace: ns });
    expect(res.stderr).toBe('');
    expect(ctr(d, ['images', 'check'], { namespace: ns }).stdout).toMatch(/complete \(\d+\/\d+\)/);
    expect(ctr(d, ['images', 'ls'], { namespace: ns }).stdout).toContain('linux/amd64,linux/arm64');
  });

  describe('bad input: one line, nothing left behind', () => {
    it('an unknown reference', async () => {
      const r = regs.plain!;
      const ns = uniqueName('bad');
      const ref = `${r.host}/nothing/here:1`;
      const res = ctrxOn(d, ['images', 'pull', '--plain-http', ref], { namespace: ns });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(`ctrx: ${ref}: not found\n`);
      expectNothingLeft(d, ns, ref, []);
    });

    it('a short name is normalised to docker.io/library/<name>:latest', () => {
      const res = ctrxOn(d, ['images', 'pull', '-q', 'no-such-image-anywhere'], { namespace: uniqueName('bad') });
      expect(res.code).toBe(1);
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^ctrx: docker\.io\/library\/no-such-image-anywhere:latest: /);
    });

    it('wrong credentials', async () => {
      const r = regs.basic!;
      const s = await seed(d, r, 'basic', `pull/creds-${line}:1`);
      const ns = uniqueName('bad');
      const res = ctrxOn(d, ['images', 'pull', '--plain-http', '-u', `${r.user}:wrong`, s.ref], { namespace: ns });
      expect(res.code).toBe(1);
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(new RegExp(`^ctrx: ${s.ref.replace(/[.]/g, '\\.')}: unauthorized`));
      expectNothingLeft(d, ns, s.ref, [s.target]);
    });

    it('an unreachable registry', () => {
      const ref = '127.0.0.1:9/x/y:1';
      const ns = uniqueName('bad');
      const res = ctrxOn(d, ['images', 'pull', '--plain-http', ref], { namespace: ns });
      expect(res.code).toBe(1);
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/^ctrx: 127\.0\.0\.1:9\/x\/y:1: .*connection refused/);
      expectNothingLeft(d, ns, ref, []);
    });

    it('no manifest for the platform', async () => {
      const r = regs.plain!;
      const s = await seed(d, r, 'plain', `pull/plat-${line}:1`);
      const ns = uniqueName('bad');
      const res = ctrxOn(d, ['images', 'pull', '--plain-http', '--platform', 'linux/s390x', s.ref], { namespace: ns });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^ctrx: .*no manifest for platform linux\/s390x.*not found\n$/);
      expectNothingLeft(d, ns, s.ref, [s.target]);
    });

    it.each(['corrupt', 'missing'])('a %s layer blob', async (how) => {
      const r = regs.plain!;
      // A layer of its own (unique filler size), so breaking it harms no other test; seeded
      // through the other daemon, since a daemon that holds the blob never downloads it again.
      const other = await daemon(line === '2' ? '1.6' : '2');
      const s = await seed(other, r, 'plain', `pull/${how}-${line}:1`, { extra: 1000 + Math.floor(Math.random() * 100000) });
      const filler = s.layerDigests[s.layerDigests.length - 1];
      const hex = filler.slice('sha256:'.length);
      const data = path.join(r.dir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
      if (how === 'corrupt') {
        const fd = fs.openSync(data, 'r+');
        fs.writeSync(fd, Buffer.from('XXXX'), 0, 4, 100);
        fs.closeSync(fd);
      } else {
        fs.rmSync(data);
      }
      const ns = uniqueName('bad');
      for (const path_ of line === '2' ? [[], ['--local']] : [[]]) {
        const res = ctrxOn(d, ['images', 'pull', ...path_, '--plain-http', s.ref], { namespace: ns });
        expect(res.code).toBe(1);
        expect(lines(res.stderr)).toHaveLength(1);
        expect(res.stderr).toMatch(new RegExp(`^ctrx: ${s.ref.replace(/[.]/g, '\\.')}: `));
        const local = line === '1.6' || path_.includes('--local');
        if (how === 'corrupt' && local) expect(res.stderr).toContain(`layer-${filler}: digest mismatch`);
        expectNothingLeft(d, ns, s.ref, [s.target, filler]);
      }
    });
  });
});
