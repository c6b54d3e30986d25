/**
 * `ctrx sandboxes` through the built binary: on containerd 2.x against the
 * sandbox Store and Controller (checked with ctr 2.x), on 1.6 a plain "needs
 * a newer containerd" for every verb. Sandboxes really run on 2.x through
 * CRI's podsandbox controller: the test daemon's sandbox image is a busybox
 * "pause" image (a long sleep) built here and imported with ctr into k8s.io
 * (CRI's image store) and the test namespace (where the pause container goes);
 * the pod config asks for the host network, so no CNI is needed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SANDBOX_IMAGE } = require('../../scripts/lib/daemons');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-sb-'));
const podConfig = path.join(work, 'pod.json');
fs.writeFileSync(podConfig, '{}\n');
// A CRI PodSandboxConfig on the host network (namespace mode NODE, given by name and by number).
const podSandboxConfig = (name: string, network: string | number = 'NODE') => {
  const file = path.join(work, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({
    metadata: { name, namespace: 'ctrx', uid: `uid-${name}`, attempt: 1 },
    labels: { app: 'ctrx-test' },
    linux: { security_context: { namespace_options: { network } } },
  }));
  return file;
};
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('containerd 1.6: sandboxes', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon('1.6');
  });

  it('says plainly that sandboxes need containerd 1.7 or newer', () => {
    for (const args of [['sandboxes', 'ls'], ['sb', 'run', podConfig, 'sb16'], ['s', 'rm', 'sb16'], ['sandbox', 'info', 'sb16']]) {
      const r = ctrxOn(d, args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(r.stderr).toMatch(/sandboxes needs containerd 1\.7 or newer; the daemon at \S+ runs 1\.6\.\d+\S* \(\/containerd\.services\.sandbox\.v1\.Store\/\w+ is not implemented\)\n$/);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });
});

describe('containerd 2: sandboxes', () => {
  let d: Daemon;
  let ns: string;
  const mine = (args: string[]) => ctrxOn(d, args, { namespace: ns });
  const theirs = (args: string[]) => ctr(d, args, { namespace: ns });
  beforeAll(async () => {
    d = await daemon('2');
    ns = uniqueName('sb');
    const pause = await buildImage({ dir: work, name: SANDBOX_IMAGE, cmd: ['sleep', '2147483647'] });
    for (const namespace of ['k8s.io', ns]) {
      const r = ctr(d, ['images', 'import', pause.archive], { namespace });
      if (r.code !== 0) throw new Error(`import pause image into ${namespace}: ${r.stderr}`);
    }
  });

  const shimAlive = (id: string) => spawnSync('pgrep', ['-f', '--', `-id ${id} `]).status === 0;
  const waitShimGone = (id: string) => {
    for (let i = 0; i < 50 && shimAlive(id); i++) spawnSync('sleep', ['0.1']);
    return !shimAlive(id);
  };
  const taskRow = (id: string) => theirs(['tasks', 'ls']).stdout.split('\n').find((l) => l.split(/\s+/)[0] === id);
  /** Go's time.Time String() of an RFC 3339 UTC time, as ctr's list prints it. */
  const goTime = (rfc: string) => {
    const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(rfc);
    if (!m) throw new Error(`not an RFC 3339 UTC time: ${rfc}`);
    // Go trims trailing zeros of the fraction; protojson pads it to 3, 6 or 9 digits.
    const frac = (m[3] ?? '').replace(/0+$/, '').replace(/\.$/, '');
    return `${m[1]} ${m[2]}${frac} +0000 UTC`;
  };

  it('runs a podsandbox sandbox that ctr sees running, and removes it', () => {
    const id = uniqueName('xpod');
    const r = mine(['sandboxes', 'run', '--sandboxer', 'podsandbox', '--label', 'a=1', podSandboxConfig(id), id]);
    expect(r).toEqual({ code: 0, stdout: `${id}\n`, stderr: '' });
    // ctr sees the record, and the pause container's task running (host network: no CNI).
    const ls = theirs(['sandboxes', 'ls']);
    const row = ls.stdout.split('\n').find((l) => l.startsWith(`${id} `));
    expect(row).toMatch(/ io\.containerd\.runc\.v2 +$/);
    expect(mine(['sb', 'ls']).stdout).toBe(ls.stdout);
    expect(taskRow(id)).toMatch(new RegExp(`^${id} +\\d+ +RUNNING\\s*$`));
    const pid = Number(taskRow(id)!.split(/\s+/)[1]);
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2)).toEqual(['sleep', '2147483647']);
    expect(theirs(['containers', 'ls', '-q']).stdout.split('\n')).toContain(id);
    // info is the record: what ctr lists, the sandboxer, and the CRI metadata podsandbox reads.
    const info = mine(['sandboxes', 'info', id]);
    expect(info.code).toBe(0);
    const rec = JSON.parse(info.stdout);
    expect(rec).toMatchObject({
      sandbox_id: id,
      runtime: { name: 'io.containerd.runc.v2' },
      labels: { a: '1' },
      sandboxer: 'podsandbox',
      extensions: {
        metadata: {
          '@type': 'github.com/containerd/cri/pkg/store/sandbox/Metadata',
          Version: 'v1',
          Metadata: { ID: id, Name: `${id}_ctrx_uid-${id}_1`, Config: { linux: { security_context: { namespace_options: { network: 2 } } } } },
        },
      },
    });
    expect(row!.trim().split(/ +/)).toEqual([id, ...goTime(rec.created_at).split(' '), 'io.containerd.runc.v2']);
    // rm stops and shuts it down: no record, container, task, shim or pause process left.
    expect(mine(['sandboxes', 'rm', id])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(theirs(['sandboxes', 'ls']).stdout).not.toContain(id);
    expect(taskRow(id)).toBeUndefined();
    expect(theirs(['containers', 'ls', '-q']).stdout.split('\n')).not.toContain(id);
    expect(waitShimGone(id)).toBe(true);
    expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });

  it("lets ctr remove the sandbox ctrx runs (it names its sandboxer)", () => {
    const id = uniqueName('xpod');
    expect(mine(['sb', 'r', '--sandboxer', 'podsandbox', podSandboxConfig(id, 2), id])).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(taskRow(id)).toMatch(/RUNNING/);
    const rm = theirs(['sandboxes', 'rm', id]);
    expect(rm.code).toBe(0);
    expect(rm.stderr).toContain(`deleted: ${id}`);
    expect(mine(['sb', 'ls', '-q']).stdout.split('\n')).not.toContain(id);
    expect(taskRow(id)).toBeUndefined();
    expect(waitShimGone(id)).toBe(true);
  });

  it('undoes a podsandbox run that cannot start: one line, nothing left', () => {
    // A namespace without the pause image: CRI finds it (k8s.io) but cannot make the container here.
    const bare = uniqueName('sbbare');
    const id = uniqueName('xpod');
    const r = ctrxOn(d, ['sb', 'run', '--sandboxer', 'podsandbox', podSandboxConfig(id), id], { namespace: bare });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^ctrx: run sandbox "${id}": sandboxer "podsandbox": .*pause:test.*not found\\n$`));
    expect(ctr(d, ['sandboxes', 'ls', '-q'], { namespace: bare }).stdout).not.toContain(id);
    expect(ctr(d, ['containers', 'ls', '-q'], { namespace: bare }).stdout).toBe('');
    expect(waitShimGone(id)).toBe(true);
    // The same id then runs where the image is: the controller forgot the failed one.
    expect(mine(['sb', 'run', '--sandboxer', 'podsandbox', podSandboxConfig(id), id])).toMatchObject({ code: 0 });
    expect(mine(['sb', 'rm', id])).toMatchObject({ code: 0, stderr: '' });
  });

  it('lists, shows and removes the sandbox records ctr makes', () => {
    const id = uniqueName('ctrsb');
    // ctr 2.1 records the sandbox, then fails to start it (it names no sandboxer): the record stays.
    theirs(['sandboxes', 'run', podConfig, id]);
    expect(theirs(['sandboxes', 'ls']).stdout).toContain(id);
    const ls = mine(['sandboxes', 'ls']);
    expect(ls).toMatchObject({ code: 0, stderr: '' });
    expect(ls.stdout).toBe(theirs(['sandboxes', 'ls']).stdout);
    expect(ls.stdout).toMatch(new RegExp(`^${id} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\+0000 UTC io\\.containerd\\.runc\\.v2 +$`, 'm'));
    expect(mine(['sb', 'list', '-q']).stdout).toBe(`${id}\n`);
    expect(mine(['sb', 'ls', '--filters', `id==${id}`]).stdout).toBe(ls.stdout);
    expect(mine(['sb', 'ls', '--filters', 'id==nothing']).stdout).toBe('ID CREATED RUNTIME \n');
    const info = mine(['sandboxes', 'i', id]);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ sandbox_id: id, runtime: { name: 'io.containerd.runc.v2' }, spec: { '@type': 'types.containerd.io/opencontainers/runtime-spec/1/Spec' } });
    // ctr cannot remove it (no sandboxer to stop it with); ctrx can.
    expect(mine(['sandboxes', 'rm', id])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(theirs(['sandboxes', 'ls']).stdout).not.toContain(id);
  });

  it('runs a sandbox through the controller, and undoes everything when the shim cannot', () => {
    const id = uniqueName('xsb');
    const r = mine(['sandboxes', 'run', '--label', 'a=1', podConfig, id]);
    // runc's shim does not serve the sandbox API: one line saying so.
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^ctrx: run sandbox "${id}": sandboxer "shim": .*containerd\\.runtime\\.sandbox\\.v1\\.Sandbox.*\\n$`));
    // Nothing left: no record, no shim.
    expect(theirs(['sandboxes', 'ls']).stdout).not.toContain(id);
    expect(waitShimGone(id)).toBe(true);
  });

  it('refuses bad input with one line', () => {
    const cases: [string[], RegExp][] = [
      [['sb', 'rm', 'no-such-sandbox'], /^ctrx: remove sandbox "no-such-sandbox": .*not found\n$/],
      [['sb', 'info', 'no-such-sandbox'], /^ctrx: .*not found\n$/],
      [['sb', 'run', path.join(work, 'missing.json'), 'x'], /^ctrx: read sandbox config .*missing\.json: .*\n$/],
      [['sb', 'run', podConfig], /^ctrx: a pod config file and a sandbox id must be provided: invalid argument\n$/],
      [['sb', 'run', '--sandboxer', 'podsandbox', podSandboxConfig('bad', 'BOGUS'), 'xbad'], /^ctrx: run sandbox "xbad": namespace_options\.network: unknown mode "BOGUS" .*: invalid argument\n$/],
    ];
    for (const [args, err] of cases) {
      const r = mine(args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, code: 1, stdout: '', stderr: expect.stringMatching(err) });
    }
  });
});
