/**
 * Helpers for the wire tests (trace, api, shell, completion): a namespace with
 * the busybox test image imported by the real ctr, the real ctr's event stream
 * as an oracle, and parsing of --trace=json output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { ctr, Daemon, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

export const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

/** A fresh namespace with the busybox image imported (and unpacked) by ctr. */
export async function namespaceWithImage(d: Daemon, prefix: string): Promise<{ ns: string; ref: string; manifest: string }> {
  const ns = uniqueName(prefix);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const img = await buildImage({ dir, name: `docker.io/ctrx/${prefix}:1` });
  const r = ctr(d, ['images', 'import', img.archive], { namespace: ns });
  if (r.code !== 0) throw new Error(`ctr import: ${r.stderr}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return { ns, ref: img.ref, manifest: img.manifestDigests[0] };
}

/** Remove everything of a namespace with ctr, then the namespace. */
export function dropNamespace(d: Daemon, ns: string): void {
  for (const t of ctr(d, ['tasks', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean)) {
    ctr(d, ['tasks', 'kill', '-s', 'SIGKILL', t], { namespace: ns });
    ctr(d, ['tasks', 'rm', '-f', t], { namespace: ns });
  }
  const list = (args: string[]) => ctr(d, args, { namespace: ns }).stdout.split('\n').filter(Boolean);
  for (const c of list(['containers', 'ls', '-q'])) ctr(d, ['containers', 'rm', c], { namespace: ns });
  for (const i of list(['images', 'ls', '-q'])) ctr(d, ['images', 'rm', i], { namespace: ns });
  for (const l of list(['leases', 'ls', '-q'])) ctr(d, ['leases', 'rm', l], { namespace: ns });
  for (const s of list(['snapshots', 'ls']).slice(1).map((x) => x.split(/\s+/)[0]).reverse()) ctr(d, ['snapshots', 'rm', s], { namespace: ns });
  for (const c of list(['content', 'ls', '-q'])) ctr(d, ['content', 'rm', c], { namespace: ns });
  ctr(d, ['namespaces', 'rm', ns]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The daemon's events (through the real ctr) while fn runs: a marker namespace
 * created before and removed after brackets the events that belong to fn.
 */
export async function eventsDuring(d: Daemon, fn: () => void): Promise<{ namespace: string; topic: string }[]> {
  const child = spawn(d.ctr, ['-a', d.address, 'events'], { env: { ...process.env, ...d.env } });
  let text = '';
  child.stdout.on('data', (b) => (text += b.toString()));
  const marker = uniqueName('mark');
  const waitFor = async (s: string) => {
    for (let i = 0; i < 200 && !text.includes(s); i++) await sleep(50);
    if (!text.includes(s)) throw new Error(`ctr events never showed ${s}`);
  };
  try {
    // Keep creating the marker until ctr's subscription sees one.
    for (let i = 0; i < 50 && !text.includes(marker); i++) {
      ctr(d, ['namespaces', 'create', `${marker}-${i}`]);
      await sleep(100);
    }
    await waitFor(marker);
    fn();
    ctr(d, ['namespaces', 'create', `${marker}-end`]);
    await waitFor(`${marker}-end`);
  } finally {
    child.kill();
    for (const line of ctr(d, ['namespaces', 'ls', '-q']).stdout.split('\n')) if (line.startsWith(marker)) ctr(d, ['namespaces', 'rm', line]);
  }
  // Lines: TIME NAMESPACE TOPIC EVENT.
  return text
    .split('\n')
    .map((l) => /^\S+ \S+ \S+ \S+ (\S*) (\/\S+) /.exec(l) ?? /^\S+ (\S*) (\/\S+) /.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ namespace: m[1], topic: m[2] }));
}

export interface TracedCall {
  id: number;
  service: string;
  method: string;
  kind: string;
  metadata: Record<string, string>;
  status?: string;
  sent: unknown[];
  received: unknown[];
}

/** The calls of a --trace=json stderr, by id; every line must be a trace event. */
export function parseTrace(stderr: string): TracedCall[] {
  const calls = new Map<number, TracedCall>();
  for (const line of stderr.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.event === 'call') {
      if (calls.has(e.call)) throw new Error(`call ${e.call} started twice`);
      calls.set(e.call, { id: e.call, service: e.service, method: e.method, kind: e.kind, metadata: e.metadata, sent: [], received: [] });
      continue;
    }
    const c = calls.get(e.call);
    if (!c) throw new Error(`event for unknown call: ${line}`);
    if (e.event === 'send') c.sent.push(e.message);
    else if (e.event === 'receive') c.received.push(e.message);
    else if (e.event === 'end') {
      if (c.status) throw new Error(`call ${e.call} ended twice`);
      c.status = e.status;
    }
  }
  return [...calls.values()].sort((a, b) => a.id - b.id);
}

/** Short names of calls: Images/Get. */
export const short = (c: TracedCall) => `${c.service.split('.').pop()}/${c.method}`;

/** The event each successful mutating call makes the daemon publish. */
export const EVENT_OF: Record<string, string> = {
  'Namespaces/Create': '/namespaces/create',
  'Namespaces/Update': '/namespaces/update',
  'Namespaces/Delete': '/namespaces/delete',
  'Images/Create': '/images/create',
  'Images/Update': '/images/update',
  'Images/Delete': '/images/delete',
  'Containers/Create': '/containers/create',
  'Containers/Update': '/containers/update',
  'Containers/Delete': '/containers/delete',
  'Snapshots/Prepare': '/snapshot/prepare',
  'Snapshots/View': '/snapshot/prepare',
  'Snapshots/Commit': '/snapshot/commit',
  'Snapshots/Remove': '/snapshot/remove',
  'Tasks/Create': '/tasks/create',
  'Tasks/Start': '/tasks/start',
  'Tasks/Delete': '/tasks/delete',
  'Tasks/Pause': '/tasks/paused',
  'Tasks/Resume': '/tasks/resumed',
  'Tasks/Exec': '/tasks/exec-added',
  'Content/Delete': '/content/delete',
};
