/**
 * `ctrx sandboxes` through the built binary: on containerd 2.x against the
 * sandbox Store and Controller (checked with ctr 2.x), on 1.6 a plain "needs
 * a newer containerd" for every verb.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, uniqueName } from '../helpers/rig';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-sb-'));
const podConfig = path.join(work, 'pod.json');
fs.writeFileSync(podConfig, '{}\n');
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
    const shimAlive = () => spawnSync('pgrep', ['-f', '--', `-id ${id} `]).status === 0;
    for (let i = 0; i < 50 && shimAlive(); i++) spawnSync('sleep', ['0.1']);
    expect(shimAlive()).toBe(false);
  });

  it('refuses bad input with one line', () => {
    const cases: [string[], RegExp][] = [
      [['sb', 'rm', 'no-such-sandbox'], /^ctrx: remove sandbox "no-such-sandbox": .*not found\n$/],
      [['sb', 'info', 'no-such-sandbox'], /^ctrx: .*not found\n$/],
      [['sb', 'run', path.join(work, 'missing.json'), 'x'], /^ctrx: read sandbox config .*missing\.json: .*\n$/],
      [['sb', 'run', podConfig], /^ctrx: a pod config file and a sandbox id must be provided: invalid argument\n$/],
    ];
    for (const [args, err] of cases) {
      const r = mine(args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, code: 1, stdout: '', stderr: expect.stringMatching(err) });
    }
  });
});
