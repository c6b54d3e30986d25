/**
 * containers create/delete/info/list/label through the built binary on both
 * daemons: the container ctrx stores (spec, labels, snapshot, runtime
 * options) is the one that line's ctr stores for the same image and flags,
 * and each side handles the other's containers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ctr, ctrxOn, daemon, Daemon, LINES } from '../helpers/rig';
import { setupNamespace, snapshotKeys, teardownNamespace } from './containers-fixtures';

jest.setTimeout(240_000);

// `ctr c info` with the ID and the times made comparable.
function info(d: Daemon, ns: string, id: string, as: string): string {
  const r = ctr(d, ['containers', 'info', id], { namespace: ns });
  if (r.code !== 0) throw new Error(`ctr c info ${id}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => !/"(CreatedAt|UpdatedAt)"/.test(l))
    .join('\n')
    .split(id)
    .join(as);
}

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  let rich: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctn-c-'));
  beforeAll(async () => {
    d = await daemon(line);
    ({ ns, image, rich } = await setupNamespace(d, 'ctnc'));
  });
  afterAll(() => {
    teardownNamespace(d, ns);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const envFile = path.join(tmp, 'env');
  fs.writeFileSync(envFile, 'FROM_FILE=1\nPATH=/file/bin\n');
  const specFile = path.join(tmp, 'spec.json');
  fs.writeFileSync(specFile, JSON.stringify({ ociVersion: '1.0.2', process: { args: ['true'], cwd: '/', user: { uid: 0, gid: 0 } }, root: { path: '/tmp' }, linux: { namespaces: [{ type: 'pid' }] } }));

  // [name, verb, flags, image (or special), args, lines]
  const cases: [string, 'create' | 'run', string[], 'plain' | 'rich' | 'rootfs' | 'config', string[], string[]][] = [
    ['defaults', 'create', [], 'plain', [], ['1.6', '2']],
    ['process flags', 'create', ['--env', 'A=1', '--env', 'PATH=/x', '--env', 'GONE', '--cwd', '/tmp', '--label', 'x=y', '--annotation', 'an=1', '--read-only', '--net-host', '--memory-limit', '100000000', '--cap-add', 'CAP_SYS_ADMIN', '--cap-drop', 'CAP_CHOWN'], 'plain', ['sh', '-c', 'echo hi'], ['1.6', '2']],
    ['privileged', 'create', ['--privileged'], 'plain', [], ['1.6', '2']],
    ['seccomp with added caps', 'create', ['--seccomp', '--cap-add', 'CAP_SYS_PTRACE', '--cap-add', 'CAP_BPF', '--cap-drop', 'CAP_SYS_CHROOT'], 'plain', [], ['1.6', '2']],
    ['tty, mounts, namespaces, devices', 'create', ['--tty', '--mount', 'type=bind,src=/tmp,dst=/mnt,options=rbind:ro', '--with-ns', 'network:/proc/1/ns/net', '--device', '/dev/fuse', '--allow-new-privs', '--cpu-quota', '20000', '--cpu-period', '100000'], 'plain', [], ['1.6', '2']],
    ['labels and runtime bits', 'create', ['--snapshotter-label', 'sl=1', '--rootfs-propagation', 'shared', '--rdt-class', 'c1', '--apparmor-profile', 'foo', '--runtime-config-path', '/x', '--runc-binary', '/usr/sbin/runc', '--runc-root', '/run/ctrx-runc'], 'plain', [], ['2']],
    ['env file', 'create', ['--env-file', envFile, '--env', 'A=2'], 'plain', [], ['1.6', '2']],
    ['image config', 'create', [], 'rich', [], ['1.6', '2']],
    ['image config with args', 'create', ['--cwd', '/', '--env', 'FROM_IMAGE'], 'rich', ['echo', 'x'], ['1.6', '2']],
    ['user by name', 'create', ['--user', 'app'], 'rich', [], ['2']],
    ['user and group by name', 'create', ['--user', 'app:extra'], 'rich', [], ['2']],
    ['numeric user', 'create', ['--user', '1000:1000', '--hostname', 'box'], 'rich', [], ['2']],
    ['rootfs dir', 'create', ['--rootfs', '--env', 'B=1'], 'rootfs', ['true'], ['1.6', '2']],
    ['config file', 'create', ['--config', specFile, '--label', 'l=1'], 'config', [], ['1.6', '2']],
    ['run resources', 'run', ['--cpus', '1.5', '--cpu-shares', '512', '--no-pivot', '--cgroup', '/ctrx-test/cg', '--runc-binary', '/usr/sbin/runc'], 'plain', ['sleep', '30'], ['1.6', '2']],
    ['user namespace', 'run', ['--uidmap', '0:100000:65536', '--gidmap', '0:200000:65536'], 'plain', ['sleep', '30'], ['1.6', '2']],
    ['user namespace, several ranges', 'run', ['--uidmap', '0:110000:1000', '--uidmap', '1000:120000:64536', '--gidmap', '0:130000:65536'], 'rich', ['sleep', '30'], ['2']],
    ['user namespace with remap labels', 'run', ['--uidmap', '0:300000:65536', '--gidmap', '0:300000:65536', '--remap-labels'], 'plain', ['sleep', '30'], ['2']],
    ['run cpusets', 'run', ['--cpuset-cpus', '0', '--cpuset-mems', '0', '--privileged', '--privileged-without-host-devices'], 'plain', ['sleep', '30'], ['2']],
  ];

  it.each(cases)('stores the container ctr stores: %s', (name, verb, flags, img, args, lines) => {
    if (!lines.includes(line)) return; // flags this line's ctr does not have
    const idA = `ctr-${cases.findIndex((c) => c[0] === name)}`;
    const idB = `ctrx-${cases.findIndex((c) => c[0] === name)}`;
    const target = img === 'plain' ? image : img === 'rich' ? rich : img === 'rootfs' ? tmp : '';
    const positional = (id: string) => (img === 'config' ? [id] : [target, id, ...args]);
    const pre = verb === 'run' ? ['run', '-d'] : ['containers', 'create'];
    // `--` keeps 1.6's ctr from reading the command's own flags (sh -c) as its own.
    const theirs = ctr(d, [...pre, ...flags, '--', ...positional(idA)], { namespace: ns });
    expect(theirs.stderr).toBe('');
    const mine = ctrxOn(d, [...pre, ...flags, ...positional(idB)], { namespace: ns });
    expect(mine.stderr).toBe('');
    expect(mine.code).toBe(0);
    expect(info(d, ns, idB, 'ID')).toBe(info(d, ns, idA, 'ID'));
    if (img === 'plain' || img === 'rich') {
      const snap = (id: string) => ctr(d, ['snapshots', 'info', id], { namespace: ns }).stdout.replace(/"(Created|Updated)": .*\n/g, '').split(id).join('ID');
      expect(snap(idB)).toBe(snap(idA));
    }
    if (verb === 'run') for (const id of [idA, idB]) ctr(d, ['tasks', 'rm', '-f', id], { namespace: ns });
    expect(ctr(d, ['containers', 'rm', idA, idB], { namespace: ns }).code).toBe(0);
  });

  it('prints info, spec, list and labels as ctr does, for containers made by either', () => {
    expect(ctr(d, ['containers', 'create', image, 'byctr'], { namespace: ns }).code).toBe(0);
    expect(ctrxOn(d, ['c', 'create', '--label', 'k=v', rich, 'byctrx', 'sh'], { namespace: ns }).code).toBe(0);
    for (const id of ['byctr', 'byctrx']) {
      expect(ctrxOn(d, ['c', 'info', id], { namespace: ns }).stdout).toBe(ctr(d, ['c', 'info', id], { namespace: ns }).stdout);
      expect(ctrxOn(d, ['container', 'info', '--spec', id], { namespace: ns }).stdout).toBe(ctr(d, ['c', 'info', '--spec', id], { namespace: ns }).stdout);
    }
    expect(ctrxOn(d, ['c', 'ls'], { namespace: ns }).stdout).toBe(ctr(d, ['c', 'ls'], { namespace: ns }).stdout);
    expect(ctrxOn(d, ['c', 'ls', '-q'], { namespace: ns }).stdout).toBe(ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout);
    expect(ctrxOn(d, ['c', 'ls', 'labels.k==v'], { namespace: ns }).stdout).toBe(ctr(d, ['c', 'ls', 'labels.k==v'], { namespace: ns }).stdout);
    const json = JSON.parse(ctrxOn(d, ['c', 'ls', '--format', 'json'], { namespace: ns }).stdout);
    expect(json.map((c: { id: string }) => c.id).sort()).toEqual(['byctr', 'byctrx']);
    const l = ctrxOn(d, ['c', 'label', 'byctr', 'a=1', 'b=2'], { namespace: ns });
    expect(l).toMatchObject({ code: 0, stdout: 'a=1,b=2,io.containerd.image.config.stop-signal=SIGTERM\n' });
    expect(ctrxOn(d, ['c', 'label', 'byctr', 'a='], { namespace: ns }).stdout).toBe('b=2,io.containerd.image.config.stop-signal=SIGTERM\n');
    expect(JSON.parse(ctr(d, ['c', 'info', 'byctr'], { namespace: ns }).stdout).Labels).toEqual({ b: '2', 'io.containerd.image.config.stop-signal': 'SIGTERM' });
  });

  it('deletes several, keeping going past a bad one, with and without the snapshot', () => {
    const r = ctrxOn(d, ['c', 'rm', 'byctr', 'nosuch', 'byctrx'], { namespace: ns });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ctrx: container "nosuch" in namespace "${ns}": not found\n`);
    expect(ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout).toBe('');
    expect(snapshotKeys(d, ns)).not.toEqual(expect.arrayContaining(['byctr']));
    expect(snapshotKeys(d, ns)).not.toContain('byctrx');
    // An unreferenced snapshot may be collected at any moment once its container
    // is gone, so what shows --keep-snapshot is the call ctrx does not make.
    ctr(d, ['c', 'create', image, 'keep'], { namespace: ns });
    const kept = ctrxOn(d, ['--trace', 'c', 'delete', '--keep-snapshot', 'keep'], { namespace: ns });
    expect(kept.code).toBe(0);
    expect(kept.stderr).toContain('Containers/Delete');
    expect(kept.stderr).not.toContain('Snapshots/Remove');
    ctr(d, ['c', 'create', image, 'gone'], { namespace: ns });
    const gone = ctrxOn(d, ['--trace', 'c', 'delete', 'gone'], { namespace: ns });
    expect(gone.stderr).toMatch(/Snapshots\/Remove[^\n]*\n[^\n]*"key":"gone"/);
    expect(snapshotKeys(d, ns)).not.toContain('gone');
    ctr(d, ['snapshots', 'rm', 'keep'], { namespace: ns });
  });

  it('refuses bad input with one line and leaves nothing behind', () => {
    const before = snapshotKeys(d, ns);
    const unknown = ctrxOn(d, ['c', 'create', 'docker.io/ctrx/nosuch:1', 'x1'], { namespace: ns });
    expect(unknown).toMatchObject({ code: 1, stderr: 'ctrx: image "docker.io/ctrx/nosuch:1": not found\n' });
    expect(ctrxOn(d, ['c', 'create', image, 'dup'], { namespace: ns }).code).toBe(0);
    const dup = ctrxOn(d, ['c', 'create', '--env', 'X=1', image, 'dup'], { namespace: ns });
    expect(dup).toMatchObject({ code: 1, stderr: 'ctrx: container "dup": already exists\n' });
    const caps = ctrxOn(d, ['c', 'create', '--cap-add', 'SYS_ADMIN', image, 'x2'], { namespace: ns });
    expect(caps).toMatchObject({ code: 1, stderr: "ctrx: capabilities must be specified with 'CAP_' prefix: invalid argument\n" });
    const badUser = ctrxOn(d, ['c', 'create', '--user', 'nobody-here', rich, 'x3'], { namespace: ns });
    expect(badUser.code).toBe(1);
    expect(badUser.stderr).toBe('ctrx: no users found\n');
    expect(ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout).toBe('dup\n');
    expect(snapshotKeys(d, ns).sort()).toEqual([...before, 'dup'].sort());
    expect(ctrxOn(d, ['c', 'rm', 'dup'], { namespace: ns }).code).toBe(0);
  });
});
