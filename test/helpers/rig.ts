/**
 * Real daemons for tests. A daemon of each containerd line is started on first
 * use and shared by every test file of the jest run (jest gives each file its
 * own module registry, so the sharing goes through files in the run's folder);
 * global teardown stops them all.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ensureDebs } from './debs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const daemons = require('../../scripts/lib/daemons');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const registry = require('../../scripts/lib/registry');

/** The containerd release lines every daemon test runs against. */
export const LINES = ['1.6', '2'] as const;
export type Line = (typeof LINES)[number];

export interface Daemon {
  line: Line;
  version: string;
  address: string;
  debugAddress: string;
  ctr: string;
  dir: string;
  pid: number;
  env: Record<string, string>;
}

export interface Registry {
  host: string;
  url: string;
  caFile?: string;
  user?: string;
  password?: string;
  dir: string;
}

/** The run's folder: short, because unix socket paths are limited to 107 bytes. */
export function runDir(): string {
  const id = process.env.CTRX_TEST_RUN_ID || String(process.ppid);
  const dir = `/tmp/ctrx-t${id}`;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The shared daemon of a containerd line, started if this run has none yet. */
export async function daemon(line: Line): Promise<Daemon> {
  const dir = path.join(runDir(), line === '1.6' ? 'c16' : 'c2');
  const recordFile = path.join(dir, 'handle.json');
  if (fs.existsSync(recordFile)) {
    const d = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as Daemon;
    if (isAlive(d.pid)) return d;
    await daemons.stopContainerdIn(dir);
  }
  ensureDebs();
  const handle = await daemons.startContainerd({ line, dir });
  handle.child.unref();
  const d = daemons.describe(handle) as Daemon;
  fs.writeFileSync(recordFile, JSON.stringify(d));
  return d;
}

/** A shared registry of the given kind, started if this run has none yet. */
export async function privateRegistry(kind: 'plain' | 'basic' | 'tls'): Promise<Registry> {
  const dir = path.join(runDir(), `reg-${kind}`);
  const recordFile = path.join(dir, 'handle.json');
  if (fs.existsSync(recordFile)) {
    const r = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    if (isAlive(r.pid)) return r;
    await registry.stopRegistryIn(dir);
  }
  const handle = await registry.startRegistry({ dir, auth: kind === 'basic' ? 'basic' : 'none', tls: kind === 'tls' });
  handle.child?.unref?.();
  const r = registry.describe(handle);
  fs.writeFileSync(recordFile, JSON.stringify(r));
  return r;
}

/** Stop every daemon and registry this run started (global teardown). */
export async function stopAllFromRegistry(): Promise<void> {
  const root = runDir();
  for (const name of fs.readdirSync(root)) {
    const dir = path.join(root, name);
    if (name.startsWith('c')) await daemons.stopContainerdIn(dir);
    else if (name.startsWith('reg-')) await registry.stopRegistryIn(dir);
  }
  fs.rmSync(root, { recursive: true, force: true });
  // The namespaces tests made and removed (uniqueName's shape) leave empty cgroups behind.
  daemons.removeEmptyCgroups((name: string) => UNIQUE_NAME.test(name));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run that line's real ctr against the daemon. */
export function ctr(d: Daemon, args: string[], opts: { namespace?: string; input?: string } = {}): RunResult {
  const r = spawnSync(d.ctr, ['-a', d.address, ...(opts.namespace ? ['-n', opts.namespace] : []), ...args], {
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, ...d.env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

/** Run the built ctrx binary. */
export function ctrx(args: string[], opts: { env?: Record<string, string>; input?: string; timeout?: number } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: opts.timeout ?? 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Run ctrx against a daemon (address and namespace flags first, like ctr). */
export function ctrxOn(d: Daemon, args: string[], opts: { namespace?: string; input?: string; env?: Record<string, string> } = {}): RunResult {
  return ctrx(['-a', d.address, ...(opts.namespace ? ['-n', opts.namespace] : []), ...args], opts);
}

/** A name unique to this test run, for namespaces, containers, images. */
const UNIQUE_NAME = /^[a-z0-9.]+(-[a-z0-9.]+)*-\d+-[a-z0-9]{1,6}$/;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
