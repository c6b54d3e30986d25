/**
 * `ctrx pprof` through the built binary against the debug sockets of
 * containerd 1.6 and 2.x: the raw profiles containerd's Go pprof handlers
 * serve, as ctr fetches them.
 */
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrx, daemon, Daemon, LINES } from '../helpers/rig';

const BIN = path.join(__dirname, '..', '..', 'bin', 'ctrx');

/** Run ctrx keeping stdout as bytes (profiles are binary). */
function raw(args: string[]): { code: number; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: process.env, maxBuffer: 256 << 20, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString() };
}

describe.each(LINES)('containerd %s: pprof', (line) => {
  let d: Daemon;
  beforeAll(async () => {
    d = await daemon(line);
  });

  it('dumps goroutine stacks as text, like ctr', () => {
    const r = ctrx(['pprof', '--debug-socket', d.debugAddress, 'goroutines']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^goroutine \d+ \[/);
    expect(r.stdout).toContain('github.com/containerd/containerd');
    // ctr's dump of the same daemon has the same shape.
    expect(ctr(d, ['pprof', '-d', d.debugAddress, 'goroutines']).stdout).toMatch(/^goroutine \d+ \[/);
  });

  it('serves binary profiles by default and text with --debug', () => {
    for (const verb of ['heap', 'block', 'threadcreate']) {
      const bin = raw(['pprof', '-d', d.debugAddress, verb]);
      expect({ verb, code: bin.code, stderr: bin.stderr }).toEqual({ verb, code: 0, stderr: '' });
      expect(bin.stdout.subarray(0, 2).toString('hex')).toBe('1f8b'); // gzipped protobuf
    }
    const text = ctrx(['pprof', '-d', d.debugAddress, 'heap', '--debug', '1']);
    expect(text.stdout).toMatch(/^heap profile: /);
    const g1 = ctrx(['pprof', '-d', d.debugAddress, 'goroutines', '--debug=1']);
    expect(g1.stdout).toMatch(/^goroutine profile: total \d+/);
    expect(ctrx(['pprof', '-d', d.debugAddress, 'threadcreate', '--debug', '1']).stdout).toMatch(/^threadcreate profile: total \d+/);
  });

  it('profiles the CPU and traces for the time asked', () => {
    const started = Date.now();
    const prof = raw(['pprof', '-d', d.debugAddress, 'profile', '-s', '1s']);
    expect(prof.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(prof.stdout.subarray(0, 2).toString('hex')).toBe('1f8b');
    const trace = raw(['pprof', '-d', d.debugAddress, 'trace', '--seconds', '500ms']);
    expect(trace.code).toBe(0);
    expect(trace.stdout.subarray(0, 16).toString('latin1')).toMatch(/^go 1\.\d+ trace/);
  });

  it('fails in one line when no debug server listens', () => {
    const r = ctrx(['pprof', '-d', `${d.dir}/no-such.sock`, 'heap']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `ctrx: cannot reach the debug server at ${d.dir}/no-such.sock: no such file or directory\n` });
    const bad = ctrx(['pprof', '-d', d.debugAddress, 'profile', '-s', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ctrx: invalid value "soon" for flag --seconds/);
  });
});
