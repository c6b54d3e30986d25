/**
 * Shared setup for the container, task and run tests: a namespace of their
 * own on a daemon, with test images imported by the real ctr (which unpacks
 * them), including one whose config sets a user, a stop signal, labels, a
 * working directory and an entrypoint, and ships /etc/passwd and /etc/group.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { createHash } from 'crypto';
import { spawn, spawnSync } from 'child_process';
import { ctr, daemon, Daemon, Line, RunResult, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

export const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Build the plain busybox image and a derived one with a richer config; both as OCI archives. */
export async function buildTestImages(dir: string): Promise<{ plain: string; plainRef: string; rich: string; richRef: string }> {
  const base = await buildImage({ dir, name: 'docker.io/ctrx/busybox:ctn' });
  const work = fs.mkdtempSync(path.join(dir, 'rich-'));
  spawnSync('tar', ['-xf', base.archive, '-C', work]);
  const blob = (d: string) => path.join(work, 'blobs', 'sha256', d.slice(7));
  const put = (b: Buffer) => {
    const d = sha(b);
    fs.writeFileSync(blob(d), b);
    return d;
  };
  const index = JSON.parse(fs.readFileSync(path.join(work, 'index.json'), 'utf8'));
  const manifest = JSON.parse(fs.readFileSync(blob(index.manifests[0].digest), 'utf8'));
  const config = JSON.parse(fs.readFileSync(blob(manifest.config.digest), 'utf8'));
  // A layer with /etc/passwd and /etc/group (user "app" 1234:2345, also in group "extra" 3456).
  const etc = path.join(work, 'etc-tree');
  fs.mkdirSync(path.join(etc, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(etc, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1234:2345:app:/home/app:/bin/sh\n');
  fs.writeFileSync(path.join(etc, 'etc', 'group'), 'root:x:0:\napp:x:2345:\nextra:x:3456:app\n');
  const layerTar = path.join(work, 'etc.tar');
  spawnSync('tar', ['--format=gnu', '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', layerTar, '-C', etc, 'etc']);
  const layer = fs.readFileSync(layerTar);
  const layerDigest = put(layer);
  fs.rmSync(etc, { recursive: true });
  fs.rmSync(layerTar);
  config.rootfs.diff_ids.push(layerDigest);
  config.config = {
    ...config.config,
    User: 'app',
    StopSignal: 'SIGUSR1',
    WorkingDir: '/bin',
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: ['echo default-cmd'],
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'FROM_IMAGE=1'],
    Labels: { 'org.example.from-image': 'yes' },
  };
  const cfgBuf = Buffer.from(JSON.stringify(config));
  manifest.config = { ...manifest.config, digest: put(cfgBuf), size: cfgBuf.length };
  manifest.layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length });
  const manBuf = Buffer.from(JSON.stringify(manifest));
  const richRef = 'docker.io/ctrx/busybox:rich';
  index.manifests[0] = {
    ...index.manifests[0],
    digest: put(manBuf),
    size: manBuf.length,
    annotations: { 'io.containerd.image.name': richRef, 'org.opencontainers.image.ref.name': 'rich' },
  };
  fs.writeFileSync(path.join(work, 'index.json'), JSON.stringify(index));
  fs.rmSync(path.join(work, 'manifest.json'), { force: true });
  const rich = path.join(dir, 'rich.tar');
  spawnSync('tar', ['-cf', rich, '-C', work, 'oci-layout', 'index.json', 'blobs']);
  fs.rmSync(work, { recursive: true });
  return { plain: base.archive, plainRef: base.ref, rich, richRef };
}

/** A fresh namespace on d with both test images imported by ctr. */
export async function setupNamespace(d: Daemon, prefix: string) {
  const ns = uniqueName(prefix);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-img-`));
  const imgs = await buildTestImages(dir);
  for (const a of [imgs.plain, imgs.rich]) {
    const r = ctr(d, ['images', 'import', a], { namespace: ns });
    if (r.code !== 0) throw new Error(`import ${a}: ${r.stderr}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { ns, image: imgs.plainRef, rich: imgs.richRef };
}

/** Remove everything a test namespace holds (tasks, containers, images), then the namespace. */
export interface NamespaceFixture {
  d: Daemon;
  ns: string;
  image: string;
  rich: string;
}

/**
 * For one describe block: before its tests, the line's shared daemon and a
 * namespace with the test images, handed to `use`; after them, the namespace
 * and everything in it removed.
 */
export function namespaceForBlock(line: Line, prefix: string, use: (f: NamespaceFixture) => void): void {
  let f: NamespaceFixture | undefined;
  beforeAll(async () => {
    const d = await daemon(line);
    f = { d, ...(await setupNamespace(d, prefix)) };
    use(f);
  });
  afterAll(() => {
    if (f) teardownNamespace(f.d, f.ns);
  });
}

export function teardownNamespace(d: Daemon, ns: string): void {
  for (const id of ctr(d, ['tasks', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean)) {
    ctr(d, ['tasks', 'rm', '-f', id], { namespace: ns });
  }
  const ids = ctr(d, ['containers', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean);
  if (ids.length) ctr(d, ['containers', 'rm', ...ids], { namespace: ns });
  const imgs = ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean);
  if (imgs.length) ctr(d, ['images', 'rm', '--sync', ...imgs], { namespace: ns });
  ctr(d, ['namespaces', 'rm', ns]);
}

/** ctrx, started in the background (for signals and long runs). */
export function ctrxAsync(d: Daemon, ns: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const child = spawn(process.execPath, [BIN, '-a', d.address, '-n', ns, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  if (opts.input !== undefined) child.stdin.end(opts.input);
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })),
  );
  return { child, done, out: () => stdout };
}

/** Wait until pred holds (polling), or fail after ms. */
export async function until(pred: () => boolean, ms = 20000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The FIFO directories under root that hold FIFOs named for id. */
export function fifoDirsFor(root: string, id: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((d) => {
    try {
      return fs.readdirSync(path.join(root, d)).some((f) => f.startsWith(`${id}-`));
    } catch {
      return false;
    }
  });
}

/** The snapshot keys of a namespace (default snapshotter), as ctr lists them. */
export function snapshotKeys(d: Daemon, ns: string): string[] {
  return ctr(d, ['snapshots', 'ls'], { namespace: ns })
    .stdout.split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0])
    .filter(Boolean);
}
