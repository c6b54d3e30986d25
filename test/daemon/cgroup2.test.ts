/**
 * Tasks under cgroup v2, on a host that may run cgroup v1 or hybrid: each
 * line gets a daemon of its own in a mount namespace where /sys/fs/cgroup is
 * the unified hierarchy (scripts/lib/daemons.js cgroup2), so runc makes v2
 * cgroups and the daemon reports io.containerd.cgroups.v2.Metrics. ctrx's
 * metrics table and JSON are checked against ctr's for the same task, and the
 * task's life cycle (pause through cgroup.freeze, ps, kill) against ctr's view.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ctr, ctrxOn, Daemon, LINES, runDir } from '../helpers/rig';
import { ensureDebs } from '../helpers/debs';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const daemons = require('../../scripts/lib/daemons');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { buildImage } = require('../../scripts/lib/test-images');

jest.setTimeout(180_000);

const V2_METRICS = 'io.containerd.cgroups.v2.Metrics';

describe.each(LINES)('containerd %s under cgroup v2', (line) => {
  let d: Daemon;
  let image: string;
  const dir = path.join(runDir(), `cg2-${line.replace('.', '')}`);
  const ns = 'cg2';
  const id = `cg2-${line.replace('.', '')}-${process.pid}`;

  beforeAll(async () => {
    ensureDebs();
    if (fs.existsSync(dir)) await daemons.stopContainerdIn(dir);
    const handle = await daemons.startContainerd({ line, dir, cgroup2: true });
    handle.child.unref();
    d = daemons.describe(handle) as Daemon;
    const img = await buildImage({ dir: path.join(dir, 'img'), name: 'docker.io/ctrx/busybox:cg2' });
    image = img.ref;
    expect(ctr(d, ['images', 'import', img.archive], { namespace: ns }).code).toBe(0);
  });
  afterAll(async () => {
    if (d) await daemons.stopContainerdIn(dir);
  });

  const theirs = (args: string[]) => ctr(d, args, { namespace: ns });
  const mine = (args: string[]) => ctrxOn(d, args, { namespace: ns });

  it('reports v2 metrics as ctr does: the same rows and JSON, uint64 limits exact', () => {
    // --cpu-shares 0: no cpu.weight to write, as the cpu controller may still be held by a v1 hierarchy here.
    expect(theirs(['run', '-d', '--cpu-shares', '0', image, id, 'sleep', '600'])).toMatchObject({ code: 0, stderr: '' });
    // The daemon really answers in v2's type: the trace shows the Any it sent.
    const traced = mine(['--trace', 't', 'metrics', id]);
    expect(traced.code).toBe(0);
    expect(traced.stderr).toContain(`"@type":"${V2_METRICS}"`);
    // Values move between calls (pids, memory, pressure): rows and keys must match, numbers stand for themselves.
    const shape = (s: string) => s.replace(/\d+/g, 'N').replace(/ +/g, ' ');
    const table = mine(['t', 'metrics', id]).stdout;
    expect(shape(table)).toBe(shape(theirs(['t', 'metrics', id]).stdout));
    // The v2 rows, not v1's (v1 prints memory.usage_in_bytes and friends).
    const rows = table.split('\n').slice(3).map((l) => l.split(/\s+/)[0]).filter(Boolean);
    expect(rows).toEqual(['METRIC', 'pids.current', 'pids.limit', 'cpu.usage_usec', 'cpu.user_usec', 'cpu.system_usec', 'cpu.nr_periods', 'cpu.nr_throttled', 'cpu.throttled_usec', 'memory.usage', 'memory.usage_limit', 'memory.swap_usage', 'memory.swap_limit']);
    // containerd 1.6 lists the hugetlb page sizes in map order (it varies from call to call): sorted here.
    const sortedPages = (m: { hugetlb?: { pagesize: string }[] }) => ({ ...m, hugetlb: m.hugetlb && [...m.hugetlb].sort((a, b) => a.pagesize.localeCompare(b.pagesize)) });
    const keys = (s: string) => JSON.stringify(sortedPages(JSON.parse(s)), (_k, v) => (typeof v === 'number' ? 0 : v));
    const json = mine(['t', 'metrics', '--format', 'json', id]).stdout;
    expect(keys(json)).toBe(keys(theirs(['t', 'metrics', '--format', 'json', id]).stdout));
    // Limits are uint64s near 2^63: printed digit for digit as ctr prints them.
    const limits = (s: string) => [...s.matchAll(/"max": (\d+)/g)].map((m) => m[1]).sort();
    expect(limits(json).length).toBeGreaterThan(0);
    expect(limits(json)).toEqual(limits(theirs(['t', 'metrics', '--format', 'json', id]).stdout));
  });

  it('pauses and resumes through cgroup.freeze, lists processes, kills and deletes like ctr', () => {
    const status = () => (new RegExp(`^${id} +\\d+ +(\\w+)$`, 'm').exec(theirs(['t', 'ls']).stdout) ?? [])[1];
    expect(mine(['t', 'pause', id])).toMatchObject({ code: 0, stderr: '' });
    expect(status()).toBe('PAUSED');
    expect(mine(['t', 'resume', id])).toMatchObject({ code: 0, stderr: '' });
    expect(status()).toBe('RUNNING');
    expect(mine(['t', 'ps', id]).stdout).toBe(theirs(['t', 'ps', id]).stdout);
    expect(mine(['t', 'kill', '-s', 'KILL', id])).toMatchObject({ code: 0, stderr: '' });
    expect(mine(['t', 'rm', id]).code).toBe(0);
    expect(mine(['c', 'rm', id])).toMatchObject({ code: 0, stderr: '' });
    expect(theirs(['c', 'ls', '-q']).stdout).toBe('');
  });
});
