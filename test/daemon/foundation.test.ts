/**
 * The foundation's commands through the built binary against real containerd
 * 1.6 and 2.x, each result checked with that release's own ctr.
 */
import { ctr, ctrx, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';

const isTwo = (d: Daemon) => d.line === '2';

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon(line);
    // Recorded so a run says which releases it tested.
    console.log(`containerd ${line}: ${d.version} at ${d.address}`);
  });

  describe('version', () => {
    it('prints the server version and UUID that ctr sees', () => {
      const r = ctrxOn(d, ['version']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const theirs = ctr(d, ['version']).stdout;
      const server = (s: string) => s.slice(s.indexOf('Server:'));
      expect(server(r.stdout)).toBe(server(theirs));
      expect(r.stdout).toMatch(/^Client:\n {2}Version: {2}\d+\.\d+\.\d+\n {2}Revision: .*\n {2}Node version: v\d+/);
    });

    it('gives the same versions as JSON', () => {
      const r = ctrxOn(d, ['version', '--format', 'json']);
      const j = JSON.parse(r.stdout);
      expect(ctr(d, ['version']).stdout).toContain(`UUID: ${j.server.uuid}`);
      expect(j.server.version).toBe(d.version.replace(/^v/, ''));
    });
  });

  describe('namespaces', () => {
    it('creates with labels what ctr then lists, and lists what ctr created', () => {
      const mine = uniqueName('mine');
      const theirs = uniqueName('theirs');
      expect(ctrxOn(d, ['namespaces', 'create', mine, 'a=1', 'b=x=y'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(ctr(d, ['ns', 'ls']).stdout).toMatch(new RegExp(`^${mine} +a=1,b=x=y `, 'm'));
      expect(ctr(d, ['ns', 'create', theirs, 'k=v']).code).toBe(0);
      const ls = ctrxOn(d, ['ns', 'ls']);
      expect(ls.code).toBe(0);
      // The whole table, byte for byte, as ctr prints it.
      expect(ls.stdout).toBe(ctr(d, ['ns', 'ls']).stdout);
      expect(ctrxOn(d, ['namespace', 'list', '-q']).stdout).toBe(ctr(d, ['ns', 'ls', '-q']).stdout);
      ctr(d, ['ns', 'rm', mine, theirs]);
    });

    it('sets and clears labels, seen by ctr', () => {
      const ns = uniqueName('lbl');
      ctr(d, ['ns', 'create', ns, 'gone=1', 'keep=2']);
      expect(ctrxOn(d, ['ns', 'label', ns, 'new=3', 'gone='])).toMatchObject({ code: 0 });
      expect(ctr(d, ['ns', 'ls']).stdout).toMatch(new RegExp(`^${ns} +keep=2,new=3 `, 'm'));
      ctr(d, ['ns', 'rm', ns]);
    });

    it('removes several at once, printing each, and ctr no longer lists them', () => {
      const a = uniqueName('rma');
      const b = uniqueName('rmb');
      ctr(d, ['ns', 'create', a]);
      ctr(d, ['ns', 'create', b]);
      const r = ctrxOn(d, ['ns', 'rm', a, b]);
      expect(r).toMatchObject({ code: 0, stdout: `${a}\n${b}\n` });
      expect(ctr(d, ['ns', 'ls', '-q']).stdout.split('\n')).not.toEqual(expect.arrayContaining([a, b]));
    });

    it('keeps going over several targets and reports the first error', () => {
      const busy = uniqueName('busy');
      const free = uniqueName('free');
      ctr(d, ['ns', 'create', busy]);
      ctr(d, ['ns', 'create', free]);
      // A namespace with content in it cannot be removed.
      expect(ctr(d, ['-n', busy, 'content', 'ingest', 'blob'], { input: 'hello\n' }).code).toBe(0);
      const r = ctrxOn(d, ['ns', 'rm', busy, free]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(`${free}\n`);
      expect(r.stderr).toMatch(new RegExp(`^ctrx: unable to delete ${busy}: namespace "${busy}" must be empty, but it still has blobs: failed precondition\\n$`));
      expect(ctr(d, ['ns', 'ls', '-q']).stdout).toContain(busy);
      ctr(d, ['-n', busy, 'content', 'rm', 'sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03']);
      ctr(d, ['ns', 'rm', busy]);
    });

    it('says what exists already and what is not a valid name', () => {
      const ns = uniqueName('dup');
      ctr(d, ['ns', 'create', ns]);
      const dup = ctrxOn(d, ['ns', 'create', ns]);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toBe(`ctrx: namespace "${ns}": already exists\n`);
      const bad = ctrxOn(d, ['ns', 'create', 'bad name']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe('ctrx: identifier "bad name" must match ^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$: invalid argument\n');
      expect(ctr(d, ['ns', 'ls', '-q']).stdout).not.toContain('bad name');
      const none = ctrxOn(d, ['ns', 'create']);
      expect(none).toMatchObject({ code: 1, stderr: 'ctrx: namespace name must be provided: invalid argument\n' });
      ctr(d, ['ns', 'rm', ns]);
    });

    it('lists as JSON with proto field names', () => {
      const ns = uniqueName('json');
      ctr(d, ['ns', 'create', ns, 'x=1']);
      const list = JSON.parse(ctrxOn(d, ['ns', 'ls', '--format', 'json']).stdout);
      expect(list).toEqual(expect.arrayContaining([{ name: ns, labels: { x: '1' } }]));
      ctr(d, ['ns', 'rm', ns]);
    });

    it('takes global flags after the command word and from the environment', () => {
      const ns = uniqueName('env');
      expect(ctrx(['ns', 'create', ns, '-a', d.address]).code).toBe(0);
      expect(ctrx(['ns', 'ls', '-q'], { env: { CONTAINERD_ADDRESS: d.address } }).stdout).toContain(`${ns}\n`);
      // The namespace flag and variable reach the header: a lease made in ns lands there.
      expect(ctrx(['version'], { env: { CONTAINERD_ADDRESS: d.address, CONTAINERD_NAMESPACE: ns } }).code).toBe(0);
      ctr(d, ['ns', 'rm', ns]);
    });
  });

  describe('plugins', () => {
    it('lists the same table as ctr', () => {
      const r = ctrxOn(d, ['plugins', 'ls']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(ctr(d, ['plugins', 'ls']).stdout);
      expect(ctrxOn(d, ['plugin', 'list', '-q']).stdout).toBe(ctr(d, ['plugins', 'ls', '-q']).stdout);
    });

    it('applies filters as ctr does', () => {
      const filter = 'type==io.containerd.snapshotter.v1';
      const r = ctrxOn(d, ['plugins', 'ls', filter]);
      expect(r.stdout).toBe(ctr(d, ['plugins', 'ls', filter]).stdout);
      expect(r.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(2);
      const bad = ctrxOn(d, ['plugins', 'ls', 'type==']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^ctrx: .*invalid argument\n$/);
    });

    it('prints the detailed blocks as ctr does', () => {
      const mine = ctrxOn(d, ['plugins', 'ls', '-d']).stdout;
      const theirs = ctr(d, ['plugins', 'ls', '-d']).stdout;
      // Go prints a plugin's exports in map order; compare the lines as sets.
      expect(mine.split('\n').sort()).toEqual(theirs.split('\n').sort());
      expect(mine).toMatch(/^Type: +io\.containerd\./);
    });

    it('lists plugins as JSON', () => {
      const list = JSON.parse(ctrxOn(d, ['plugins', 'ls', '--format', 'json']).stdout);
      const content = list.find((p: { type: string }) => p.type === 'io.containerd.content.v1');
      expect(content).toMatchObject({ id: 'content', exports: { root: expect.stringContaining(d.dir) } });
    });

    it('inspects the runtime on 2.x and says plainly that 1.6 cannot', () => {
      const r = ctrxOn(d, ['plugins', 'inspect-runtime']);
      if (isTwo(d)) {
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual(JSON.parse(ctr(d, ['plugins', 'inspect-runtime']).stdout));
      } else {
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(`ctrx: plugins inspect-runtime needs containerd 2.0 or newer; the daemon at ${d.address} runs ${d.version} (/containerd.services.introspection.v1.Introspection/PluginInfo is not implemented)\n`);
      }
    });
  });

  it('reports an unknown runtime with the daemon\'s own words, as ctr does', () => {
    if (!isTwo(d)) return expect(ctrxOn(d, ['plugins', 'inspect-runtime', '--runtime', 'io.containerd.nope.v1']).code).toBe(1);
    const r = ctrxOn(d, ['plugins', 'inspect-runtime', '--runtime', 'io.containerd.nope.v1']);
    const theirs = ctr(d, ['plugins', 'inspect-runtime', '--runtime', 'io.containerd.nope.v1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(theirs.stderr.replace(/^ctr: /, 'ctrx: '));
  });

  describe('info and deprecations', () => {
    it('prints the server info', () => {
      const r = ctrxOn(d, ['info']);
      expect(r.code).toBe(0);
      const info = JSON.parse(r.stdout);
      expect(ctr(d, ['version']).stdout).toContain(`UUID: ${info.server.uuid}`);
      if (isTwo(d)) expect(info).toEqual(JSON.parse(ctr(d, ['info']).stdout));
    });

    it('lists deprecations on 2.x as ctr does, and refuses on a 1.6 that cannot report them', () => {
      const r = ctrxOn(d, ['deprecations', 'list']);
      if (isTwo(d)) {
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(ctr(d, ['deprecations', 'list']).stdout);
        expect(Array.isArray(JSON.parse(ctrxOn(d, ['deprecations', 'list', '--format', 'json']).stdout))).toBe(true);
      } else {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^ctrx: deprecations list needs containerd 1\.6\.25, 1\.7\.9 or newer; .* runs 1\.6\.20/);
      }
    });
  });
});

describe('errors that need no daemon', () => {
  it('a missing socket: one line naming it, exit 1', () => {
    const r = ctrx(['-a', '/tmp/ctrx-no-such.sock', 'ns', 'ls']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'ctrx: cannot access socket /tmp/ctrx-no-such.sock: no such file or directory\n' });
  });

  it('a socket nobody listens on fails fast, never hangs', () => {
    const dead = `/tmp/ctrx-dead-${process.pid}.sock`;
    require('child_process').execFileSync('python3', ['-c', `import socket;socket.socket(socket.AF_UNIX).bind(${JSON.stringify(dead)})`]);
    const started = Date.now();
    const r = ctrx(['-a', dead, '--connect-timeout', '3s', 'version']);
    require('fs').rmSync(dead, { force: true });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ctrx: failed to connect to containerd at ${dead}: connection refused (is containerd running?)\n`);
  });

  it('a socket that accepts but never answers fails at the connect timeout', async () => {
    const net = await import('net');
    const sock = `/tmp/ctrx-mute-${process.pid}.sock`;
    const server = net.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(sock, r));
    const { spawn } = await import('child_process');
    const started = Date.now();
    const child = spawn(process.execPath, [require('path').join(__dirname, '..', '..', 'bin', 'ctrx'), '-a', sock, '--connect-timeout', '1s', 'ns', 'ls']);
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
    server.close();
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stderr).toMatch(/^ctrx: failed to connect to containerd at .*mute.*: no answer within 1s \(connect timeout\)\n$/);
  });

  it('bad flags and unknown commands', () => {
    expect(ctrx(['nope'])).toMatchObject({ code: 1, stderr: 'ctrx: incorrect usage: unknown command, flag or argument "nope"; see --help\n' });
    expect(ctrx(['--timeout', '5x', 'ns', 'ls'])).toMatchObject({ code: 1, stderr: 'ctrx: invalid value "5x" for flag --timeout: time: invalid duration "5x": invalid argument\n' });
  });

  it('no stack trace unless --debug', () => {
    const plain = ctrx(['-a', '/tmp/ctrx-no-such.sock', 'ns', 'ls']);
    expect(plain.stderr.split('\n')).toHaveLength(2);
    const debug = ctrx(['-a', '/tmp/ctrx-no-such.sock', 'ns', 'ls', '--debug']);
    expect(debug.stderr).toMatch(/^ctrx: cannot access socket[^\n]*\nError: cannot access socket[^\n]*\n\s+at /);
  });

  it('prints help for a group without a verb', () => {
    const r = ctrx(['ns']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ctrx ns create/);
    expect(r.stdout).toMatch(/\[aliases: ls\]/);
  });
});
