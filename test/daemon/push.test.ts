/**
 * `ctrx images push` through the built binary against containerd 1.6 (client
 * path) and 2.x (Transfer service by default, client path with --local), to
 * the test registry in its three set-ups; what ctrx pushed, the real ctr pulls
 * and runs, byte-identical (same target digest), and an image ctr pushed and
 * ctrx pulled, ctrx re-pushes for ctr.
 */
import * as path from 'path';
import { ctr, ctrxOn, daemon, Daemon, LINES, privateRegistry, Registry, runDir, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

type Kind = 'plain' | 'basic' | 'tls';
type Reg = Registry & { hostsDir: string };

function regFlags(r: Reg, kind: Kind): string[] {
  if (kind === 'plain') return ['--plain-http'];
  if (kind === 'basic') return ['--plain-http', '-u', `${r.user}:${r.password}`];
  return ['--hosts-dir', r.hostsDir];
}

/** Import a built image with ctr into a fresh namespace; returns its name, namespace and target digest. */
async function imported(d: Daemon, platforms = ['linux/amd64']) {
  const img = await buildImage({ dir: path.join(runDir(), 'push-images'), name: 'docker.io/ctrx/pushme:t', platforms });
  const ns = uniqueName('push');
  const r = ctr(d, ['images', 'import', '--all-platforms', img.archive], { namespace: ns });
  if (r.code !== 0) throw new Error(`ctr import: ${r.stderr}`);
  return { name: img.ref as string, ns, target: (img.indexDigest ?? img.manifestDigests[0]) as string };
}

/** The target digest of an image as `ctr images ls` shows it. */
function targetOf(d: Daemon, ns: string, ref: string): string | undefined {
  const row = ctr(d, ['images', 'ls'], { namespace: ns }).stdout.split('\n').find((l) => l.startsWith(`${ref} `));
  return row?.split(/\s+/)[2];
}

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  const regs: Partial<Record<Kind, Reg>> = {};
  beforeAll(async () => {
    d = await daemon(line);
    for (const k of ['plain', 'basic', 'tls'] as Kind[]) regs[k] = (await privateRegistry(k)) as Reg;
  });

  describe.each(['plain', 'basic', 'tls'] as Kind[])('%s registry', (kind) => {
    it.each(line === '2' ? [[], ['--local']] : [[]])('pushes what ctr pulls and runs (%s)', async (...pathFlags) => {
      const r = regs[kind]!;
      const src = await imported(d, ['linux/amd64', 'linux/arm64']);
      const ref = `${r.host}/push/${kind}-${line}${pathFlags.length ? '-local' : ''}:1`;
      const res = ctrxOn(d, ['images', 'push', ...pathFlags, ...regFlags(r, kind), ref, src.name], { namespace: src.ns });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const ns = uniqueName('check');
      const pull = ctr(d, ['images', 'pull', ...regFlags(r, kind), ref], { namespace: ns });
      expect(pull.code).toBe(0);
      // Same root digest: the index went up byte for byte.
      expect(targetOf(d, ns, ref)).toBe(src.target);
      expect(ctr(d, ['run', '--rm', ref, uniqueName('c'), 'echo', 'pushed-by-ctrx'], { namespace: ns }).stdout).toBe('pushed-by-ctrx\n');
    });
  });

  it('re-pushes an image ctr pushed and ctrx pulled, for ctr to pull', async () => {
    const r = regs.plain!;
    const src = await imported(d);
    const first = `${r.host}/push/roundtrip-${line}:a`;
    expect(ctr(d, ['images', 'push', '--plain-http', first, src.name], { namespace: src.ns }).code).toBe(0);
    const ns = uniqueName('mid');
    expect(ctrxOn(d, ['images', 'pull', '-q', '--plain-http', first], { namespace: ns }).code).toBe(0);
    const second = `${r.host}/push/roundtrip2-${line}:b`;
    const res = ctrxOn(d, ['images', 'push', '--plain-http', second, first], { namespace: ns });
    expect(res.stderr).toBe('');
    const ns2 = uniqueName('end');
    expect(ctr(d, ['images', 'pull', '--plain-http', second], { namespace: ns2 }).code).toBe(0);
    expect(targetOf(d, ns2, second)).toBe(src.target);
  });

  it('pushes progress lines on a non-terminal stdout and nothing with -q (client path)', async () => {
    const r = regs.plain!;
    const src = await imported(d);
    const ref = `${r.host}/push/progress-${line}:1`;
    const res = ctrxOn(d, ['images', 'push', '--local', '--plain-http', ref, src.name], { namespace: src.ns });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`manifest-${src.target}: done\\n`));
    expect(res.stdout).toMatch(/^elapsed: .* total: /m);
    const again = ctrxOn(d, ['images', 'push', '--local', '-q', '--plain-http', ref, src.name], { namespace: src.ns });
    expect(again).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('fails in one line for a missing local image, wrong credentials and an unreachable registry', async () => {
    const r = regs.basic!;
    const src = await imported(d);
    const missing = ctrxOn(d, ['images', 'push', '--plain-http', `${r.host}/x/y:1`, 'no/such:image'], { namespace: src.ns });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('ctrx: image "no/such:image": not found\n');
    const bad = ctrxOn(d, ['images', 'push', '--plain-http', '-u', `${r.user}:nope`, `${r.host}/x/y:1`, src.name], { namespace: src.ns });
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(bad.stderr).toMatch(/unauthorized/i);
    const closed = ctrxOn(d, ['images', 'push', '--plain-http', '127.0.0.1:9/x/y:1', src.name], { namespace: src.ns });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^ctrx: 127\.0\.0\.1:9\/x\/y:1: .*connection refused.*\n$/);
  });
});
