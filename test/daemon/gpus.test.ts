/**
 * --gpus of containers create and run, on both daemons: the NVIDIA toolkit
 * hook ctrx writes into the spec is the one that line's ctr writes (prestart
 * on 1.6, createRuntime on 2.x; containerd's oci-hook in front of
 * nvidia-container-cli, the client's environment), and runc really runs it
 * with the task's pid and rootfs. This machine has no GPU, so
 * nvidia-container-cli is a stand-in script that records how it was called.
 * Without the toolkit the command fails on one line, as ctr's does, leaving
 * nothing behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, Daemon, LINES, RunResult } from '../helpers/rig';
import { namespaceForBlock, snapshotKeys, until } from './containers-fixtures';

jest.setTimeout(180_000);

const tools = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-gpus-'));
const calls = path.join(tools, 'calls');
fs.writeFileSync(path.join(tools, 'nvidia-container-cli'), `#!/bin/sh\necho "$@" >> ${calls}\n`, { mode: 0o755 });
afterAll(() => fs.rmSync(tools, { recursive: true, force: true }));

// One environment for both clients: the hook carries the client's environment into the spec.
const PATH_WITH_TOOLKIT = `${tools}:/usr/sbin:/usr/bin:/sbin:/bin`;
const cleanEnv = (PATH: string) => ({ PATH, HOME: '/root', LANG: 'C.UTF-8', CTRX_GPU_TEST: '1' });

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  namespaceForBlock(line, 'gpus', (f) => ({ d, ns, image } = f));

  // Both clients run with exactly this environment (the rig adds its own otherwise).
  const theirs = (args: string[], PATH: string): RunResult => {
    const r = spawnSync(d.ctr, ['-a', d.address, '-n', ns, ...args], { encoding: 'utf8', env: cleanEnv(PATH) });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const mine = (args: string[], PATH: string): RunResult => {
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', d.address, '-n', ns, ...args], { encoding: 'utf8', env: cleanEnv(PATH) });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const spec = (id: string) => JSON.parse(ctr(d, ['c', 'info', '--spec', id], { namespace: ns }).stdout);
  const hookKind = line === '1.6' ? 'prestart' : 'createRuntime';

  it('stores the toolkit hook ctr stores, in the same place', () => {
    expect(theirs(['c', 'create', '--gpus', '0', '--gpus', '2', image, 'gc'], PATH_WITH_TOOLKIT)).toMatchObject({ code: 0, stderr: '' });
    expect(mine(['c', 'create', '--gpus', '0', '--gpus', '2', image, 'gx'], PATH_WITH_TOOLKIT)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const ours = spec('gx');
    expect(ours.hooks[hookKind]).toHaveLength(1);
    expect(ours.hooks[hookKind][0]).toMatchObject({
      path: '/usr/bin/containerd',
      args: ['containerd', 'oci-hook', '--', path.join(tools, 'nvidia-container-cli'), '--load-kmods', 'configure', '--device=0,2',
        '--compute', '--compat32', '--graphics', '--utility', '--video', '--display', '--pid={{pid}}', '{{rootfs}}'],
    });
    // The whole spec is ctr's, apart from the ID in the cgroup path.
    expect(JSON.stringify(ours).replace(/gx/g, 'ID')).toBe(JSON.stringify(spec('gc')).replace(/gc/g, 'ID'));
    expect(ctr(d, ['c', 'rm', 'gc', 'gx'], { namespace: ns }).code).toBe(0);
  });

  it('runs the hook through runc with the task\'s pid and rootfs', async () => {
    fs.rmSync(calls, { force: true });
    expect(mine(['run', '-d', '--gpus', '1', image, 'gr', 'sleep', '60'], PATH_WITH_TOOLKIT)).toMatchObject({ code: 0, stderr: '' });
    const pid = Number(/^gr +(\d+) +RUNNING$/m.exec(ctr(d, ['t', 'ls'], { namespace: ns }).stdout)![1]);
    await until(() => fs.existsSync(calls), 10000, 'the hook');
    const recorded = fs.readFileSync(calls, 'utf8').trim().split(' ');
    expect(recorded.slice(0, 9)).toEqual(['--load-kmods', 'configure', '--device=1', '--compute', '--compat32', '--graphics', '--utility', '--video', '--display']);
    expect(recorded[9]).toBe(`--pid=${pid}`);
    expect(recorded[10]).toMatch(new RegExp(`/io\\.containerd\\.runtime\\.v2\\.task/${ns}/gr/rootfs$`));
    expect(mine(['t', 'rm', '-f', 'gr'], PATH_WITH_TOOLKIT).code).toBe(0);
    expect(mine(['c', 'rm', 'gr'], PATH_WITH_TOOLKIT).code).toBe(0);
  });

  it('fails on one line without the toolkit or with a bad index, leaving nothing', () => {
    const before = snapshotKeys(d, ns);
    const cases: [string[], string, string][] = [
      [['--gpus', '0'], `${tools}`, 'exec: "containerd": executable file not found in $PATH'],
      [['--gpus', '0'], '/usr/sbin:/usr/bin:/sbin:/bin', 'exec: "nvidia-container-cli": executable file not found in $PATH'],
      [['--gpus', '0,1'], PATH_WITH_TOOLKIT, `invalid value "0,1" for flag -gpus: ${line === '1.6' ? 'strconv.Atoi' : 'strconv.ParseInt'}: parsing "0,1": invalid syntax`],
    ];
    for (const [flags, PATH, why] of cases) {
      // ctr says the same (it then leaves the snapshot behind; ctrx does not).
      expect(theirs(['c', 'create', ...flags, image, 'gf'], PATH).stderr).toContain(`ctr: ${why}\n`);
      ctr(d, ['snapshots', 'rm', 'gf'], { namespace: ns });
      for (const verb of [['c', 'create'], ['run', '--rm']]) {
        expect(mine([...verb, ...flags, image, 'gf', 'true'], PATH)).toEqual({ code: 1, stdout: '', stderr: `ctrx: ${why}\n` });
      }
    }
    expect(ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout.split('\n')).not.toContain('gf');
    expect(snapshotKeys(d, ns).sort()).toEqual(before.sort());
    expect(ctrxOn(d, ['leases', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
  });
});
