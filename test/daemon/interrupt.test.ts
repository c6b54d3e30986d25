/**
 * Ctrl-C safety: SIGINT in the middle of a pull (~100 MB image from the plain
 * test registry, through a throttling proxy so there is a middle), an import
 * of a large archive, and a content ingest from a slow stdin. Each time ctrx
 * exits 130 with one line naming the lease it kept; ctr then shows no image
 * record and no committed blob of the big layer, only an active ingest held by
 * a lease carrying containerd.io/gc.expire; the same command run again
 * completes (resuming the partial ingest) and ctr runs the image.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import { ctr, daemon, Daemon, LINES, privateRegistry, runDir, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');
const lines = (s: string) => s.split('\n').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Done {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Start ctrx without waiting (the test sends it SIGINT). */
function start(d: Daemon, ns: string, args: string[]): { child: ChildProcess; done: Promise<Done> } {
  const child = spawn(process.execPath, [BIN, '-a', d.address, '-n', ns, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.on('error', () => undefined); // a command that ends early closes its stdin
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b) => (stdout += b));
  child.stderr!.on('data', (b) => (stderr += b));
  const done = new Promise<Done>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Run ctrx to the end without blocking the event loop (the throttling proxy lives in a child, but keep it simple). */
async function run(d: Daemon, ns: string, args: string[], input?: Buffer): Promise<Done> {
  const p = start(d, ns, args);
  p.child.stdin!.end(input);
  return p.done;
}

// An ingest past its first megabyte (ctr prints go-units sizes: "0B", "512kB", "1.05MB"): only the big
// layer gets there, so an interrupt then lands mid-layer, not between the small blobs before it.
const PAST_FIRST_MB = /\t[\d.]+(MB|GB)\t/;

/** Wait until `ctr content active` lists an ingest (bytes are moving), polling. */
async function waitActive(d: Daemon, ns: string, match: RegExp = PAST_FIRST_MB): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const rows = lines(ctr(d, ['content', 'active'], { namespace: ns }).stdout).slice(1);
    const row = rows.find((r) => match.test(r) && !/\t0B\t/.test(r));
    if (row) return row;
    await sleep(50);
  }
  throw new Error('no active ingest appeared');
}

/** What an interrupted command must leave: exit 130, one line, no record, only an expiring lease. */
function expectSafelyInterrupted(d: Daemon, ns: string, r: Done, what: RegExp, ref: string | undefined, bigDigest: string | undefined): string {
  expect(r.code).toBe(130);
  expect(lines(r.stderr)).toHaveLength(1);
  const m = /^ctrx: (.*): interrupted; the partial work is held by lease (\S+) until it expires, run the command again to resume\n$/.exec(r.stderr);
  expect(m).not.toBeNull();
  expect(m![1]).toMatch(what);
  const lease = m![2];
  if (ref) expect(lines(ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout)).not.toContain(ref);
  if (bigDigest) expect(ctr(d, ['content', 'ls', '-q'], { namespace: ns }).stdout).not.toContain(bigDigest);
  const leases = lines(ctr(d, ['leases', 'ls'], { namespace: ns }).stdout).slice(1);
  expect(leases).toHaveLength(1);
  expect(leases[0]).toMatch(new RegExp(`^${lease} .*containerd\\.io/gc\\.expire=\\d{4}-`));
  // The partial ingest is still there for the next run.
  expect(lines(ctr(d, ['content', 'active'], { namespace: ns }).stdout).length).toBeGreaterThan(1);
  return lease;
}

/**
 * Drop a test's images and leases with a synchronous collection, so that the
 * big layer leaves the daemon's (namespace-shared) blob store and the next
 * test has to move its bytes again.
 */
function cleanUp(d: Daemon, ns: string): void {
  for (const ref of lines(ctr(d, ['images', 'ls', '-q'], { namespace: ns }).stdout)) ctr(d, ['images', 'rm', '--sync', ref], { namespace: ns });
  for (const id of lines(ctr(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout)) ctr(d, ['leases', 'rm', '--sync', id], { namespace: ns });
  for (const ref of lines(ctr(d, ['content', 'active'], { namespace: ns }).stdout).slice(1)) ctr(d, ['content', 'rm', ref.split('\t')[0]], { namespace: ns });
}

/** A TCP proxy in a child process that passes registry responses at `rate` bytes/s. */
function throttle(target: string, rate: number): Promise<{ host: string; stop: () => void }> {
  const [thost, tport] = target.split(':');
  const script = `
    const net = require('net');
    const s = net.createServer((c) => {
      const up = net.connect(${Number(tport)}, ${JSON.stringify(thost)});
      c.pipe(up);
      up.on('data', (b) => { up.pause(); c.write(b); setTimeout(() => up.resume(), Math.ceil(b.length * 1000 / ${rate})); });
      up.on('end', () => c.end());
      c.on('error', () => up.destroy()); up.on('error', () => c.destroy());
    });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout!.once('data', (b) => resolve({ host: `127.0.0.1:${String(b).trim()}`, stop: () => child.kill() }));
  });
}

let big: { archive: string; ref: string; indexDigest: string | null; manifestDigests: string[]; layerDigests: string[] };
let registryHost: string;

beforeAll(async () => {
  const dir = path.join(runDir(), 'interrupt-images');
  // ~100 MB of incompressible filler in its own layer.
  big = await buildImage({ dir, name: 'docker.io/ctrx/big-interrupt:1', extraLayerBytes: 100e6, gzip: false });
  const reg = await privateRegistry('plain');
  registryHost = reg.host;
  // Seed the registry once, with the 2.x line's ctr.
  const d = await daemon('2');
  const ns = uniqueName('seed');
  expect(ctr(d, ['images', 'import', big.archive], { namespace: ns }).code).toBe(0);
  expect(ctr(d, ['images', 'push', '--plain-http', `${registryHost}/interrupt/big:1`, big.ref], { namespace: ns }).code).toBe(0);
  cleanUp(d, ns);
}, 300_000);

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon(line);
  });
  const bigLayer = () => big.layerDigests[big.layerDigests.length - 1];

  it.each(line === '2' ? [[], ['--local']] : [[]])('Ctrl-C during a pull (%s) keeps only an expiring lease; pulling again completes', async (...pathFlags) => {
    const proxy = await throttle(registryHost, 20 << 20);
    const ns = uniqueName('ipull');
    try {
      const ref = `${proxy.host}/interrupt/big:1`;
      const p = start(d, ns, ['images', 'pull', ...pathFlags, '--plain-http', ref]);
      await waitActive(d, ns);
      p.child.kill('SIGINT');
      const r = await p.done;
      expectSafelyInterrupted(d, ns, r, new RegExp(`^pull ${ref.replace(/[.]/g, '\\.')}$`), ref, bigLayer());
      const again = await run(d, ns, ['images', 'pull', ...pathFlags, '--plain-http', ref]);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(ctr(d, ['images', 'check', '-q'], { namespace: ns }).stdout).toBe(`${ref}\n`);
      expect(ctr(d, ['run', '--rm', ref, uniqueName('r'), 'echo', 'resumed'], { namespace: ns }).stdout).toBe('resumed\n');
    } finally {
      proxy.stop();
      cleanUp(d, ns);
    }
  }, 240_000);

  it.each(line === '2' ? [[], ['--local']] : [[]])('Ctrl-C during an import (%s) keeps only an expiring lease; importing again completes', async (...pathFlags) => {
    const ns = uniqueName('iimp');
    try {
    const p = start(d, ns, ['images', 'import', ...pathFlags, big.archive]);
    await waitActive(d, ns);
    p.child.kill('SIGINT');
    const r = await p.done;
    expectSafelyInterrupted(d, ns, r, new RegExp(`^import ${big.archive}$`), big.ref, bigLayer());
    const again = await run(d, ns, ['images', 'import', ...pathFlags, big.archive]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(ctr(d, ['images', 'check', '-q'], { namespace: ns }).stdout).toBe(`${big.ref}\n`);
    expect(ctr(d, ['run', '--rm', big.ref, uniqueName('r'), 'true'], { namespace: ns }).code).toBe(0);
    } finally {
      cleanUp(d, ns);
    }
  }, 240_000);

  it('Ctrl-C during content ingest from a slow stdin keeps the partial ingest under an expiring lease; the next run resumes it', async () => {
    const ns = uniqueName('iing');
    const data = (await import('crypto')).randomBytes(6 << 20);
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const args = ['content', 'ingest', '--expected-size', String(data.length), '--expected-digest', digest, 'slow-ref'];
    const p = start(d, ns, args);
    // Half now, the rest never: ctrx waits on stdin when the signal comes.
    p.child.stdin!.write(data.subarray(0, 3 << 20));
    const row = await waitActive(d, ns, /^slow-ref\t/);
    expect(row).toMatch(/^slow-ref\t/);
    p.child.kill('SIGINT');
    const r = await p.done;
    expectSafelyInterrupted(d, ns, r, /^ingest slow-ref$/, undefined, digest);
    // The daemon kept the bytes it had; the next run starts writing there (seen in its trace).
    const again = await run(d, ns, ['--trace', ...args], data);
    expect(again.code).toBe(0);
    const stat = /trace #\d+ receive #1 \(\d+ B\) \{[^\n]*"offset":"(\d+)"/.exec(again.stderr);
    expect(Number(stat?.[1])).toBeGreaterThan(0);
    const firstWrite = /"action":"WRITE","ref":"slow-ref","offset":"(\d+)"/.exec(again.stderr);
    expect(firstWrite?.[1]).toBe(stat?.[1]);
    expect(lines(ctr(d, ['content', 'active'], { namespace: ns }).stdout)).toHaveLength(1);
  }, 120_000);
});

afterAll(() => {
  if (big) fs.rmSync(big.archive, { force: true });
});
