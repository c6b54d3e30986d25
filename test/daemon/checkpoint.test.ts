/**
 * containers checkpoint/restore and tasks checkpoint through the built binary
 * on both daemons, checked with that line's real ctr: the index ctrx writes
 * is ctr's (plus the container config ctrx adds), a checkpoint ctrx made is
 * restored by ctr and by ctrx to the same container, a restored rw layer
 * carries a counter on, criu's dumps (--task) restore a task's memory
 * (--live) across tools, and a failed dump is one line naming criu's reason
 * with the task left running.
 */
import * as fs from 'fs';
import { ctr, ctrxOn, Daemon, LINES, privateRegistry } from '../helpers/rig';
import { namespaceForBlock, snapshotKeys, until } from './containers-fixtures';

jest.setTimeout(240_000);

const CONFIG_MT = 'application/vnd.containerd.container.checkpoint.config.v1+proto';
// The counter goes on from the value on disk, so a restored rw layer shows as a counter that did not restart.
const COUNTER = 'echo x > /f; i=$(cat /cnt 2>/dev/null || echo 0); while true; do i=$((i+1)); echo $i > /cnt; sleep 0.2; done';

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let ns: string;
  let image: string;
  namespaceForBlock(line, 'ctnck', (f) => ({ d, ns, image } = f));

  const run = (args: string[]) => {
    const r = ctr(d, args, { namespace: ns });
    if (r.code !== 0) throw new Error(`ctr ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const indexOf = (ref: string) => {
    const row = run(['images', 'ls']).split('\n').find((l) => l.split(/\s+/)[0] === ref);
    if (!row) throw new Error(`no image ${ref}`);
    return run(['content', 'get', row.split(/\s+/)[2]]);
  };
  const status = (id: string) => (new RegExp(`^${id} +\\d+ +(\\w+)$`, 'm').exec(run(['t', 'ls'])) ?? [])[1];
  const counter = (id: string) => Number(run(['t', 'exec', '--exec-id', `c${Date.now()}`, id, 'cat', '/cnt']).trim());
  const remove = (...ids: string[]) => {
    for (const id of ids) {
      ctr(d, ['t', 'rm', '-f', id], { namespace: ns });
      ctr(d, ['c', 'rm', id], { namespace: ns });
    }
  };
  const info = (id: string) => run(['c', 'info', id]).replace(/.*"(CreatedAt|UpdatedAt)".*\n/g, '').split(`"${id}"`).join('"ID"');
  /**
   * A live restore, by ctrx or ctr. criu's restore fails now and then on this
   * machine (about once in five full test runs) for a reason its log cannot
   * tell, as containerd removes the log with the failed task: one retry, after
   * checking that ctrx's failure was one line and left no container behind.
   */
  const liveRestore = (tool: 'ctrx' | 'ctr', args: string[], id: string) => {
    const attempt = () => (tool === 'ctrx' ? ctrxOn(d, ['c', 'restore', '--live', ...args], { namespace: ns }) : ctr(d, ['c', 'restore', '--live', ...args], { namespace: ns }));
    const first = attempt();
    if (first.code === 0 || !/criu/.test(first.stderr)) return first;
    if (tool === 'ctrx') {
      expect(first.stderr).toMatch(new RegExp(`^ctrx: restore task "${id}": criu restore failed.*\\n$`));
      expect(run(['c', 'ls', '-q']).split('\n')).not.toContain(id);
    } else {
      remove(id);
    }
    process.stderr.write(`checkpoint test: criu could not restore ${id} on the first attempt (${first.stderr.trim()}); retrying once\n`);
    return attempt();
  };

  it('writes ctr\'s index (parts, order, annotations, bytes) plus the container config, and resumes the task', () => {
    run(['run', '-d', image, 'k1', 'sh', '-c', 'echo x > /f; sleep 600']);
    // Let the file land before either side diffs the snapshot.
    run(['t', 'exec', '--exec-id', 'wait1', 'k1', 'cat', '/f']);
    for (const flags of [['--rw', '--image'], []]) {
      const tag = flags.length ? 'full' : 'plain';
      run(['c', 'checkpoint', ...flags, 'k1', `ck/ctr-${tag}:1`]);
      const mine = ctrxOn(d, ['c', 'checkpoint', ...flags, 'k1', `ck/ctrx-${tag}:1`], { namespace: ns });
      expect(mine).toMatchObject({ code: 0, stdout: '', stderr: '' });
      const theirs = indexOf(`ck/ctr-${tag}:1`);
      const ours = JSON.parse(indexOf(`ck/ctrx-${tag}:1`));
      const config = ours.manifests.filter((m: { mediaType: string }) => m.mediaType === CONFIG_MT);
      expect(config).toHaveLength(1);
      const rest = ours.manifests.filter((m: { mediaType: string }) => m.mediaType !== CONFIG_MT);
      expect(JSON.stringify({ ...ours, manifests: rest.length ? rest : null })).toBe(theirs);
      // The config part is the container's spec in an Any.
      const spec = run(['content', 'get', config[0].digest]);
      expect(spec).toContain('types.containerd.io/opencontainers/runtime-spec/1/Spec');
      expect(spec).toContain('/f; sleep 600');
      // The index holds a gc reference to every part, as ctr's does.
      const digest = run(['images', 'ls']).split('\n').find((l) => l.startsWith(`ck/ctrx-${tag}:1 `))!.split(/\s+/)[2];
      const row = run(['content', 'ls']).split('\n').find((l) => l.startsWith(digest))!;
      const refs = row.split(/\s+/).pop()!.split(',').sort();
      expect(refs).toEqual(ours.manifests.map((m: { digest: string }, i: number) => `containerd.io/gc.ref.content.${i}=${m.digest}`).sort());
    }
    expect(status('k1')).toBe('RUNNING');
    remove('k1');
  });

  it('restores its checkpoint with ctr and with ctrx to the same container, the rw layer carrying a counter on', async () => {
    run(['run', '-d', image, 'k2', 'sh', '-c', COUNTER]);
    await until(() => Number(ctr(d, ['t', 'exec', '--exec-id', `w${Date.now()}`, 'k2', 'cat', '/cnt'], { namespace: ns }).stdout.trim()) >= 3, 20000, 'the counter');
    run(['t', 'exec', '--exec-id', 'mark', 'k2', 'sh', '-c', 'echo m > /marker']);
    expect(ctrxOn(d, ['c', 'checkpoint', '--rw', 'k2', 'ck/k2:1'], { namespace: ns })).toMatchObject({ code: 0, stderr: '' });
    const at = counter('k2');
    expect(status('k2')).toBe('RUNNING');
    remove('k2');
    expect(ctrxOn(d, ['c', 'restore', '--rw', 'k2x', 'ck/k2:1'], { namespace: ns })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    run(['c', 'restore', '--rw', 'k2c', 'ck/k2:1']);
    for (const id of ['k2x', 'k2c']) {
      expect(status(id)).toBe('RUNNING');
      expect(run(['t', 'exec', '--exec-id', `f${id}`, id, 'cat', '/marker'])).toBe('m\n');
      const first = counter(id);
      expect(first).toBeGreaterThanOrEqual(at);
      await until(() => counter(id) > first, 10000, `${id}'s counter to go on`);
    }
    expect(info('k2x')).toBe(info('k2c'));
    // Without --rw the snapshot is the image's: no marker.
    expect(ctrxOn(d, ['c', 'restore', 'k2n', 'ck/k2:1'], { namespace: ns }).code).toBe(0);
    expect(ctr(d, ['t', 'exec', '--exec-id', 'fn', 'k2n', 'cat', '/marker'], { namespace: ns }).code).not.toBe(0);
    remove('k2x', 'k2c', 'k2n');
  });

  it('refuses checkpoints it cannot restore, before making anything', async () => {
    run(['run', '-d', image, 'k3', 'sleep', '600']);
    run(['c', 'checkpoint', '--rw', 'k3', 'ck/k3-ctr:1']);
    const before = snapshotKeys(d, ns);
    // ctr's own checkpoint without --task holds no container config: ctr cannot restore it either.
    expect(ctr(d, ['c', 'restore', 'k3c', 'ck/k3-ctr:1'], { namespace: ns }).stderr).toContain('media type not found');
    remove('k3c');
    const r = ctrxOn(d, ['c', 'restore', 'k3x', 'ck/k3-ctr:1'], { namespace: ns });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ctrx: checkpoint "ck\/k3-ctr:1": no container config .*media type not found.*\n$/);
    expect(ctrxOn(d, ['c', 'checkpoint', 'k3', 'ck/k3-x:1'], { namespace: ns }).code).toBe(0);
    const rw = ctrxOn(d, ['c', 'restore', '--rw', 'k3x', 'ck/k3-x:1'], { namespace: ns });
    expect(rw).toMatchObject({ code: 1 });
    expect(rw.stderr).toMatch(/^ctrx: checkpoint "ck\/k3-x:1": no rw layer .*\n$/);
    const live = ctrxOn(d, ['c', 'restore', '--live', 'k3x', 'ck/k3-x:1'], { namespace: ns });
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/^ctrx: checkpoint "ck\/k3-x:1": checkpoint not found in index sha256:[0-9a-f]{64}.*\n$/);
    // A checkpoint in neither the store nor its registry.
    const missing = `${(await privateRegistry('plain')).host}/ck/nosuch:1`;
    expect(ctrxOn(d, ['c', 'restore', 'k3x', missing], { namespace: ns })).toMatchObject({ code: 1, stderr: `ctrx: ${missing}: not found\n` });
    expect(run(['leases', 'ls', '-q'])).toBe('');
    expect(ctrxOn(d, ['c', 'restore', 'k3', 'ck/k3-x:1'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: container "k3": already exists\n' });
    expect(run(['c', 'ls', '-q']).split('\n')).not.toContain('k3x');
    expect(snapshotKeys(d, ns).sort()).toEqual(before.sort());
    // An image name in use: refused, the task resumed.
    expect(ctrxOn(d, ['c', 'checkpoint', 'k3', 'ck/k3-x:1'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: image "ck/k3-x:1": already exists\n' });
    expect(status('k3')).toBe('RUNNING');
    expect(ctrxOn(d, ['c', 'checkpoint', 'nosuch', 'ck/x:1'], { namespace: ns })).toMatchObject({ code: 1, stderr: `ctrx: container "nosuch" in namespace "${ns}": not found\n` });
    expect(ctrxOn(d, ['c', 'checkpoint', 'k3'], { namespace: ns })).toMatchObject({ code: 1, stderr: 'ctrx: ref must be provided: invalid argument\n' });
    remove('k3');
  });

  it('checkpoints tasks with criu as ctr does; ctrx and ctr restore their memory (--live), each from the other\'s checkpoint', async () => {
    // containerd 1.6 takes one task checkpoint per container (see below), so
    // each first checkpoint gets a container of its own:
    // a: ctr c checkpoint --task, b: ctrx c checkpoint --task, c: ctr t checkpoint, d: ctrx t checkpoint, e: ctrx --task --rw.
    const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => `k4${x}`);
    for (const id of ids) run(['run', '-d', image, id, 'sh', '-c', COUNTER]);
    // Counters well past where a fresh start would be when first read: a
    // restored process that counts on from its memory is told apart from a new one.
    const count = (id: string) => Number(ctr(d, ['t', 'exec', '--exec-id', `w${Date.now()}`, id, 'cat', '/cnt'], { namespace: ns }).stdout.trim());
    await until(() => ids.every((id) => count(id) >= 15), 30000, 'the counters');
    const before = Object.fromEntries(ids.map((id) => [id, counter(id)]));
    const ok = { code: 0, stderr: '' };
    expect(ctr(d, ['c', 'checkpoint', '--task', 'k4a', 'ck/k4-ctr:1'], { namespace: ns })).toMatchObject(ok);
    expect(ctrxOn(d, ['c', 'checkpoint', '--task', 'k4b', 'ck/k4:1'], { namespace: ns })).toMatchObject({ ...ok, stdout: '' });
    const theirsByTask = ctr(d, ['t', 'checkpoint', 'k4c'], { namespace: ns });
    expect(theirsByTask).toMatchObject(ok);
    const byTask = ctrxOn(d, ['t', 'checkpoint', 'k4d'], { namespace: ns });
    expect(byTask).toMatchObject(ok);
    expect(byTask.stdout).toMatch(/^containerd\.io\/checkpoint\/k4d:\d\d-\d\d-\d{4}-\d\d:\d\d:\d\d\n$/);
    expect(ctrxOn(d, ['c', 'checkpoint', '--task', '--rw', 'k4e', 'ck/k4-rw:1'], { namespace: ns })).toMatchObject({ ...ok, stdout: '' });
    // The same parts in the same order as ctr's, criu's dump among them.
    const types = (ref: string): string[] => JSON.parse(indexOf(ref)).manifests.map((m: { mediaType: string }) => m.mediaType);
    expect(types('ck/k4-ctr:1')).toContain('application/vnd.containerd.container.criu.checkpoint.criu.tar');
    expect(types('ck/k4:1')).toEqual(types('ck/k4-ctr:1'));
    expect(types(byTask.stdout.trim())).toEqual(types(theirsByTask.stdout.trim()));
    const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
    expect(types('ck/k4-rw:1')).toContain(LAYER);
    expect(types('ck/k4-rw:1').filter((t) => t !== LAYER)).toEqual(types('ck/k4-ctr:1'));
    // A second task checkpoint of a container: 2.x takes it; 1.6 fails in the
    // daemon (its spec blob is already stored), for ctr as for ctrx, and ctrx says why.
    const again = ctrxOn(d, ['t', 'checkpoint', 'k4b'], { namespace: ns });
    const theirsAgain = ctr(d, ['t', 'checkpoint', 'k4a'], { namespace: ns });
    if (line === '1.6') {
      expect(theirsAgain.code).not.toBe(0);
      expect(theirsAgain.stderr).toMatch(/content sha256:[0-9a-f]{64}: already exists/);
      expect(again).toMatchObject({ code: 1, stdout: '' });
      expect(again.stderr).toMatch(/^ctrx: checkpoint task "k4b": content sha256:[0-9a-f]{64}: already exists \(this containerd cannot checkpoint a task whose spec an earlier checkpoint already stored: containerd\/containerd#8401\)\n$/);
      expect(run(['images', 'ls', '-q']).split('\n').filter((n) => n.startsWith('containerd.io/checkpoint/k4b'))).toEqual([]);
    } else {
      expect(theirsAgain).toMatchObject(ok);
      expect(again).toMatchObject(ok);
    }
    // Checkpointing leaves every task running (no --exit).
    for (const id of ids) expect(status(id)).toBe('RUNNING');
    remove(...ids);
    // Without --rw the rootfs is the image's (no /cnt): only restored memory counts on from `before`.
    const restored: Array<[string, string]> = [['r4x', 'k4b'], ['r4c', 'k4b'], ['r4t', 'k4a'], ['r4r', 'k4e']];
    expect(liveRestore('ctrx', ['r4x', 'ck/k4:1'], 'r4x')).toMatchObject({ ...ok, stdout: '' });
    expect(liveRestore('ctr', ['r4c', 'ck/k4:1'], 'r4c').code).toBe(0);
    expect(liveRestore('ctrx', ['r4t', 'ck/k4-ctr:1'], 'r4t')).toMatchObject({ ...ok, stdout: '' });
    expect(liveRestore('ctrx', ['--rw', 'r4r', 'ck/k4-rw:1'], 'r4r')).toMatchObject({ ...ok, stdout: '' });
    for (const [id, from] of restored) {
      expect(status(id)).toBe('RUNNING');
      const first = counter(id);
      expect(first).toBeGreaterThanOrEqual(before[from]);
      await until(() => counter(id) > first, 10000, `${id}'s counter to go on`);
    }
    expect(info('r4x')).toBe(info('r4c'));
    remove(...restored.map(([id]) => id));
  });

  it('a failed criu dump: one line with criu\'s reason and its log, the task left running, no image', async () => {
    // criu refuses an established TCP connection unless told --tcp-established,
    // which neither ctr nor ctrx passes: a task holding one cannot be dumped.
    run(['run', '-d', image, 'k5', 'sh', '-c', 'sleep 600 | busybox nc -l -p 47111 >/dev/null & sleep 0.3; sleep 600 | busybox nc 127.0.0.1 47111 & sleep 600']);
    // Port 47111 is B807 in /proc/net/tcp; state 01 is ESTABLISHED.
    await until(() => / 0100007F:B807 01 /.test(ctr(d, ['t', 'exec', '--exec-id', `n${Date.now()}`, 'k5', 'cat', '/proc/net/tcp'], { namespace: ns }).stdout), 10000, 'the connection');
    const theirs = ctr(d, ['c', 'checkpoint', '--task', 'k5', 'ck/k5-ctr:1'], { namespace: ns });
    expect(theirs.code).not.toBe(0);
    const log = /path= ?(\S+\.log)/.exec(theirs.stderr)![1];
    expect(fs.readFileSync(log, 'utf8')).toContain('Connected TCP socket, consider using --tcp-established option.');
    for (const args of [['c', 'checkpoint', '--task', 'k5', 'ck/k5:1'], ['t', 'checkpoint', 'k5']]) {
      const r = ctrxOn(d, args, { namespace: ns });
      expect(r).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `ctrx: checkpoint task "k5": criu dump failed: inet: Connected TCP socket, consider using --tcp-established option. (criu log: ${log})\n`,
      });
    }
    expect(status('k5')).toBe('RUNNING');
    expect(run(['images', 'ls', '-q']).split('\n').filter((n) => n.startsWith('ck/k5') || n.startsWith('containerd.io/checkpoint/k5'))).toEqual([]);
    remove('k5');
  });

  it('fetches a checkpoint missing from the store from its registry, as ctr does, and restores it live', async () => {
    const reg = await privateRegistry('plain');
    run(['run', '-d', image, 'k6', 'sh', '-c', COUNTER]);
    await until(() => Number(ctr(d, ['t', 'exec', '--exec-id', `w${Date.now()}`, 'k6', 'cat', '/cnt'], { namespace: ns }).stdout.trim()) >= 15, 20000, 'the counter');
    const before = counter('k6');
    const ref = `${reg.host}/ck/k6-${line}:1`;
    expect(ctrxOn(d, ['c', 'checkpoint', '--task', 'k6', ref], { namespace: ns })).toMatchObject({ code: 0, stderr: '' });
    run(['images', 'push', '--plain-http', ref]);
    remove('k6');
    run(['images', 'rm', ref]);
    // ctrx fetches it (plain HTTP for a registry on localhost, as ctr's default resolver does), quietly.
    expect(liveRestore('ctrx', ['k6x', ref], 'k6x')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(run(['images', 'ls', '-q']).split('\n')).toContain(ref);
    expect(counter('k6x')).toBeGreaterThanOrEqual(before);
    remove('k6x');
    // What ctrx fetched is what ctr fetches: ctr restores from the same registry.
    run(['images', 'rm', ref]);
    expect(liveRestore('ctr', ['k6c', ref], 'k6c').code).toBe(0);
    expect(counter('k6c')).toBeGreaterThanOrEqual(before);
    remove('k6c');
    expect(run(['leases', 'ls', '-q'])).toBe('');
  });
});
