/**
 * `ctrx shim` through the built binary: ttrpc straight to the runc shims of
 * containerd 1.6 (task API v2) and 2.x (v3), checked against ctr's own
 * `shim state` and against what containerd reports.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';
import { Client } from '../../internal/client/client';
import { shimSocket } from '../../internal/shim/address';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

describe.each(LINES)('containerd %s: shim', (line) => {
  let d: Daemon;
  let ns: string;
  let id: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-shim-'));
  const mine = (args: string[]) => ctrxOn(d, ['shim', '--id', id, ...args], { namespace: ns });
  const theirs = (args: string[]) => ctr(d, args, { namespace: ns });
  const procFile = path.join(work, 'proc.json');

  beforeAll(async () => {
    d = await daemon(line);
    ns = uniqueName('shim');
    id = uniqueName(`sh${line.replace('.', '')}`);
    const img = await buildImage({ dir: work, name: `ctrx/shim-${line}:1` });
    expect(theirs(['images', 'import', img.archive]).code).toBe(0);
    expect(theirs(['run', '-d', img.ref, id, 'sleep', '1000']).code).toBe(0);
    fs.writeFileSync(procFile, JSON.stringify({ args: ['sh', '-c', 'echo hello from exec; echo to stderr >&2'], cwd: '/', env: ['PATH=/bin'], user: { uid: 0, gid: 0 } }));
  });

  afterAll(() => {
    theirs(['tasks', 'kill', '-s', 'SIGKILL', id]);
    for (let i = 0; i < 50 && theirs(['tasks', 'rm', id]).code !== 0; i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    theirs(['containers', 'rm', id]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("prints the task's state exactly as ctr shim state does", () => {
    const r = mine(['state']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(theirs(['shim', '--id', id, 'state']).stdout);
    expect(JSON.parse(r.stdout)).toMatchObject({ id, status: 2 }); // RUNNING
    // -t names the task inside the shim (the same here).
    expect(mine(['state', '-t', id]).stdout).toBe(r.stdout);
    // Reaching the socket by its address works the same.
    const byAddress = ctrxOn(d, ['shim', '--shim-address', `unix://${shimSocket(d.address, ns, id)}`, 'state', '-t', id], { namespace: ns });
    expect(byAddress.stdout).toBe(r.stdout);
  });

  it('speaks the task API version the shim serves', () => {
    const want = line === '1.6' ? 2 : 3;
    const other = want === 2 ? 3 : 2;
    expect(mine(['state', '--api-version', String(want)]).code).toBe(0);
    const r = mine(['state', '--api-version', String(other)]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^ctrx: .*containerd\\.task\\.v${other}\\.Task.*\\n$`));
    expect(mine(['state', '--api-version', '4'])).toMatchObject({ code: 1, stderr: 'ctrx: api-version must be 2 or 3: invalid argument\n' });
  });

  it('execs a process, attached to its FIFOs, then deletes it', () => {
    const out = path.join(work, 'out.fifo');
    const err = path.join(work, 'err.fifo');
    const r = mine(['exec', '--spec', procFile, '--stdout', out, '--stderr', err, '--attach', 'ex1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(?=[\s\S]*hello from exec\n)(?=[\s\S]*exec running with pid \d+\n)/);
    expect(r.stderr).toBe('to stderr\n');
    const st = JSON.parse(mine(['state', '--exec-id', 'ex1']).stdout);
    expect(st).toMatchObject({ id: 'ex1', status: 3, stdout: out }); // STOPPED
    expect(mine(['delete', '--exec-id', 'ex1'])).toMatchObject({ code: 0, stdout: 'container deleted and returned exit status 0\n' });
    expect(mine(['state', '--exec-id', 'ex1']).code).toBe(1);
  });

  it('starts a process containerd created', async () => {
    const client = new Client({ address: d.address, namespace: ns });
    try {
      const spec = { args: ['sh', '-c', 'exit 7'], cwd: '/', env: ['PATH=/bin'], user: { uid: 0, gid: 0 } };
      await client.unary('containerd.services.tasks.v1.Tasks', 'Exec', {
        container_id: id,
        exec_id: 'ex2',
        spec: { type_url: 'types.containerd.io/opencontainers/runtime-spec/1/Process', value: Buffer.from(JSON.stringify(spec)) },
      });
      expect(JSON.parse(mine(['state', '--exec-id', 'ex2']).stdout).status).toBe(1); // CREATED
      expect(mine(['start', '--exec-id', 'ex2'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
      let st = JSON.parse(mine(['state', '--exec-id', 'ex2']).stdout);
      for (let i = 0; i < 50 && st.status !== 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        st = JSON.parse(mine(['state', '--exec-id', 'ex2']).stdout);
      }
      expect(st).toMatchObject({ status: 3, exit_status: 7 });
      expect(st.pid).toBeGreaterThan(0);
      // containerd sees the same process through the shim.
      const p = await client.unary('containerd.services.tasks.v1.Tasks', 'Get', { container_id: id, exec_id: 'ex2' });
      expect(p.process?.exit_status).toBe(7);
      await client.unary('containerd.services.tasks.v1.Tasks', 'DeleteProcess', { container_id: id, exec_id: 'ex2' });
    } finally {
      client.close();
    }
  });

  it('asks the shim to shut down, which it refuses while its container runs', () => {
    expect(mine(['shutdown'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(mine(['state']).stdout).status).toBe(2);
  });

  it('fetches pprof profiles from the shim debug socket, or says why not', () => {
    const r = mine(['pprof', 'goroutines']);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    const sock = shimSocket(d.address, ns, id, true);
    // 1.6 shims have no debug server; 2.1's listens but never answers (ctr waits forever).
    const why = line === '1.6' ? 'cannot reach the debug server at .*: no such file or directory' : 'no answer from the debug server at .* within \\d+s';
    expect(r.stderr).toMatch(new RegExp(`^ctrx: ${why.replace('.*', sock)}\\n$`));
    if (line === '2') expect(fs.existsSync(sock)).toBe(true);
  }, 60_000);

  it('names every socket it tried when no shim answers', () => {
    const r = ctrxOn(d, ['shim', '--id', 'no-such-shim', 'state'], { namespace: ns });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `ctrx: fail to connect to container shim with sockets: [${shimSocket(d.address, ns, 'no-such-shim')} @/containerd-shim/${ns}/no-such-shim/shim.sock]: connect to ${shimSocket(d.address, ns, 'no-such-shim')}: no such file or directory\n`,
    );
    expect(ctrxOn(d, ['shim', 'state'])).toMatchObject({ code: 1, stderr: 'ctrx: shim ID (--id) or address (--shim-address) must be specified\n' });
  });
});
