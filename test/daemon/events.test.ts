/**
 * `ctrx events` through the built binary against containerd 1.6 and 2.x,
 * side by side with that release's `ctr events`: the same lines for a
 * `ctr run`, JSON lines, filters, signals and bad filters.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, ChildProcess } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

interface Watcher {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function watch(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Watcher {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, out: () => out, err: () => err, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.each(LINES)('containerd %s: events', (line) => {
  let d: Daemon;
  let ns: string;
  let ref: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-ev-'));
  const ctrxWatch = (args: string[]) => watch(process.execPath, [BIN, '-a', d.address, 'events', ...args]);
  const ctrWatch = (args: string[]) => watch(d.ctr, ['-a', d.address, 'events', ...args], { ...process.env, ...d.env });
  // A namespace event marks a point in both streams.
  let probes = 0;
  const probe = () => {
    probes++;
    ctr(d, ['namespaces', 'label', ns, `probe=${probes}`], { namespace: ns });
    return `"probe":"${probes}"`;
  };

  beforeAll(async () => {
    d = await daemon(line);
    ns = uniqueName('ev');
    const img = await buildImage({ dir: work, name: `ctrx/ev-${line}:1` });
    ref = img.ref;
    expect(ctr(d, ['images', 'import', img.archive], { namespace: ns }).code).toBe(0);
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('prints for a ctr run the very lines ctr events prints', async () => {
    const filter = `namespace==${ns}`;
    const mine = ctrxWatch([filter]);
    const theirs = ctrWatch([filter]);
    try {
      // Both are subscribed once both have seen a probe.
      await until('both subscriptions', () => {
        if (mine.out().includes('"probe":') && theirs.out().includes('"probe":')) return true;
        probe();
        return false;
      });
      const id = uniqueName(`ev${line.replace('.', '')}`);
      const run = ctr(d, ['run', '--rm', ref, id, 'sh', '-c', 'echo hi'], { namespace: ns });
      expect(run.stdout).toBe('hi\n');
      const last = probe();
      await until('the last probe', () => mine.out().includes(last) && theirs.out().includes(last));
    } finally {
      mine.child.kill('SIGTERM');
      theirs.child.kill('SIGTERM');
    }
    expect(await mine.exit).toBe(143);
    expect(mine.err()).toBe('');
    const body = (s: string) => s.split('\n').filter((l) => l && !l.includes('/namespaces/update')).join('\n');
    const topics = body(mine.out()).split('\n').map((l) => l.split(' ')[5]);
    expect(topics).toEqual(expect.arrayContaining(['/snapshot/prepare', '/containers/create', '/tasks/create', '/tasks/start', '/tasks/exit', '/tasks/delete', '/snapshot/remove', '/containers/delete']));
    // Timestamp, namespace, topic and Go's JSON of the event: byte for byte.
    expect(body(mine.out())).toBe(body(theirs.out()));
    expect(mine.out()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC \S+ \/tasks\/exit \{"container_id":/m);
  });

  it('writes one JSON document per line with --format json, and filters by topic', async () => {
    const mine = ctrxWatch(['--format', 'json', `namespace==${ns}`]);
    const exits = ctrxWatch([`topic=="/tasks/exit",namespace==${ns}`]);
    try {
      await until('the JSON subscription', () => {
        if (mine.out().includes('/namespaces/update')) return true;
        probe();
        return false;
      });
      // The topic-filtered stream started at the same time; give it a moment more.
      await sleep(500);
      const id = uniqueName(`evj${line.replace('.', '')}`);
      ctr(d, ['run', '--rm', ref, id, 'sh', '-c', 'exit 3'], { namespace: ns });
      await until('the exit event', () => exits.out().includes('/tasks/exit') && mine.out().includes('/containers/delete'));
    } finally {
      mine.child.kill('SIGINT');
      exits.child.kill('SIGINT');
    }
    expect(await mine.exit).toBe(130);
    expect(await exits.exit).toBe(130);
    const docs = mine.out().trim().split('\n').map((l) => JSON.parse(l));
    const exit = docs.find((e) => e.topic === '/tasks/exit');
    expect(exit).toMatchObject({ namespace: ns, event: { '@type': 'containerd.events.TaskExit', exit_status: 3 } });
    expect(exit.timestamp).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    // The filtered stream holds nothing but the exit.
    expect(exits.out().trim().split('\n').map((l) => l.split(' ')[5])).toEqual(['/tasks/exit']);
    expect(exits.out()).toContain('"exit_status":3');
  });

  it('refuses a filter with a syntax error in one line', () => {
    const r = ctrxOn(d, ['events', 'topic=='], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ctrx: subscribe to events: .*parse error.*\n$/);
  });
});
