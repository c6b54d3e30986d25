/**
 * --blockio-config-file / --blockio-class of containers create and run: on
 * 2.x the container ctrx stores is the one ctr 2.1 stores for the same file
 * and class (and both fail alike on bad input); on 1.6, whose ctr lacks the
 * flags, ctrx's spec carries the linux.blockIO ctr 2.1 builds, and runc applies
 * it to the container's cgroup as it does for ctr 2.1's container.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, Daemon, daemon, LINES, RunResult } from '../helpers/rig';
import { namespaceForBlock, setupNamespace, snapshotKeys, teardownNamespace } from './containers-fixtures';

jest.setTimeout(300_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-blkio-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The machine's block devices, their numbers as coreutils' stat reports them.
interface Dev {
  node: string;
  major: number;
  minor: number;
}
function statDev(node: string): Dev | undefined {
  const r = spawnSync('stat', ['-L', '-c', '%F %t %T', node], { encoding: 'utf8' });
  const m = /^block special file ([0-9a-f]+) ([0-9a-f]+)$/.exec(r.stdout.trim());
  return m ? { node, major: parseInt(m[1], 16), minor: parseInt(m[2], 16) } : undefined;
}
const blockDevs = fs
  .readdirSync('/sys/block')
  .map((n) => statDev(`/dev/${n}`))
  .filter((d): d is Dev => !!d);
// goresctrl takes whole disks only: minors that are multiples of 16.
const whole = blockDevs.filter((d) => d.minor % 16 === 0);
const partLike = blockDevs.find((d) => d.minor % 16 !== 0);
const devA = whole[0];
// A glob over several whole devices (by their first letters), which may match other nodes too.
const glob = `/dev/[${[...new Set(whole.map((d) => path.basename(d.node)[0]))].join('')}]*`;

const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
};
const plainFile = file('not-a-device', 'x');

// [name, config text, class]: each is created by ctr 2.1 and by ctrx.
const CASES: [string, string, string][] = [
  ['weights only', 'Classes:\n  gold:\n    - Weight: 80\n  silver:\n    - Weight: 20\n', 'gold'],
  ['device weight', `Classes:\n  w:\n    - Devices: [${devA?.node}]\n      Weight: 50\n`, 'w'],
  [
    'throttles in several units',
    `Classes:\n  t:\n    - Devices:\n        - ${devA?.node}\n      ThrottleReadBps: 50M\n      ThrottleWriteBps: 1.5Mi\n      ThrottleReadIOPS: 10k\n      ThrottleWriteIOPS: 500\n`,
    't',
  ],
  ['more units', `Classes:\n  u:\n    - Devices: ["${devA?.node}"]\n      ThrottleReadBps: "1Gi"\n      ThrottleWriteBps: 0x100\n      ThrottleReadIOPS: 1e3\n      ThrottleWriteIOPS: 2.5k\n`, 'u'],
  [
    'a glob over several devices, entries merged in order',
    `Classes:\n  g:\n    - Weight: 300\n    - Devices: ["${glob}"]\n      Weight: 200\n      ThrottleReadBps: 1M\n    - Devices: [${devA?.node}]\n      ThrottleReadBps: 2M\n      ThrottleWriteIOPS: 100\n    - Weight: 400\n`,
    'g',
  ],
  ['devices that are not whole block devices', `Classes:\n  odd:\n    - Devices: [/dev/null, ${plainFile}, /nonexistent-dev, "/dev/zz*"${partLike ? `, ${partLike.node}` : ''}]\n      Weight: 60\n      ThrottleReadBps: 1M\n`, 'odd'],
  ['a class defined as empty', 'Classes:\n  e:\n  f: []\n', 'e'],
  // YAML 1.1 as go-yaml reads it: "on" is true, 0100 is octal.
  ['case-insensitive keys, YAML 1.1 scalars', 'classes:\n  on:\n    - weight: 0100\n', 'true'],
];

// The spec in ctr's `c info --spec`, with the container id made neutral and
// each device list in device order (goresctrl orders one entry's matches at random).
function specOf(d: Daemon, ns: string, id: string): Record<string, unknown> {
  const r = ctr(d, ['containers', 'info', '--spec', id], { namespace: ns });
  if (r.code !== 0) throw new Error(`ctr c info --spec ${id}: ${r.stderr}`);
  const spec = JSON.parse(r.stdout.split(id).join('ID'));
  const b = spec.linux?.resources?.blockIO;
  for (const k of Object.keys(b ?? {})) if (Array.isArray(b[k])) b[k].sort((x: Dev, y: Dev) => x.major - y.major || x.minor - y.minor);
  return spec;
}
const blockIOOf = (spec: Record<string, unknown>) => (spec as { linux?: { resources?: { blockIO?: unknown } } }).linux?.resources?.blockIO;

// The single messages in ctr's "[ blockio ] WARN:" lines, or ctrx's "ctrx: warning: blockio:" ones, sorted.
function warnings(stderr: string, mine: boolean): string[] {
  const items: string[] = [];
  if (mine) {
    for (const l of stderr.split('\n').filter(Boolean)) {
      expect(l).toMatch(/^ctrx: warning: blockio: /);
      const text = l.replace(/^ctrx: warning: blockio: /, '');
      const m = /^\d+ errors? occurred: (.*)$/.exec(text);
      items.push(...(m ? m[1].split('; ') : [text]));
    }
  } else {
    for (const block of stderr.split('[ blockio ] WARN: ').slice(1)) {
      const lines = block.split('\n').filter(Boolean);
      if (/^\d+ errors? occurred:$/.test(lines[0])) items.push(...lines.slice(1).map((l) => l.replace(/^\t\* /, '')));
      else items.push(...lines);
    }
  }
  return items.sort();
}

// ctr's error on one line, as ctrx words it: go-multierror's list joined with "; ".
const oneLine = (stderr: string) =>
  stderr
    .replace(/^ctr: /, 'ctrx: ')
    .replace(/occurred:\n\t\* /, 'occurred: ')
    .replace(/\n\t\* /g, '; ')
    .replace(/\n+$/, '\n');

// What ctr 2.1 stores for each case, for the 1.6 comparison.
const reference = new Map<string, unknown>();

describe('containerd 2', () => {
  let d: Daemon;
  let ns: string;
  let image: string;
  namespaceForBlock('2', 'blkio2', (f) => ({ d, ns, image } = f));

  it('finds whole block devices on this machine to test with', () => {
    expect(devA).toBeDefined();
    // The glob case needs two whole devices to show several matches merging.
    const matched = whole.filter((w) => new RegExp(`^/dev/[${glob.slice(6, glob.indexOf(']'))}]`).test(w.node));
    expect(matched.length).toBeGreaterThanOrEqual(2);
  });

  it.each(CASES)('stores the spec ctr 2.1 stores: %s', (name, text, cls) => {
    const f = file(`${name.replace(/\W+/g, '-')}.yaml`, text);
    const flags = ['--blockio-config-file', f, '--blockio-class', cls];
    const idA = `ctr-${CASES.findIndex((c) => c[0] === name)}`;
    const idB = `ctrx-${CASES.findIndex((c) => c[0] === name)}`;
    const theirs = ctr(d, ['containers', 'create', ...flags, image, idA], { namespace: ns });
    expect(theirs.code).toBe(0);
    const mine = ctrxOn(d, ['containers', 'create', ...flags, image, idB], { namespace: ns });
    expect(mine.code).toBe(0);
    expect(mine.stdout).toBe('');
    expect(warnings(mine.stderr, true)).toEqual(warnings(theirs.stderr, false));
    const spec = specOf(d, ns, idB);
    expect(spec).toEqual(specOf(d, ns, idA));
    expect(blockIOOf(spec)).toBeDefined();
    reference.set(name, blockIOOf(spec));
    ctr(d, ['containers', 'rm', idA, idB], { namespace: ns });
  });

  it('puts the numbers of the devices named into the spec', () => {
    const { major, minor } = devA;
    expect(reference.get('device weight')).toEqual({ weightDevice: [{ major, minor, weight: 50 }] });
    const rate = (r: number) => [{ major, minor, rate: r }];
    expect(reference.get('throttles in several units')).toEqual({
      throttleReadBpsDevice: rate(50_000_000),
      throttleWriteBpsDevice: rate(1.5 * 1024 * 1024),
      throttleReadIOPSDevice: rate(10_000),
      throttleWriteIOPSDevice: rate(500),
    });
    const g = reference.get('a glob over several devices, entries merged in order') as { weight: number; weightDevice: Dev[]; throttleReadBpsDevice: { rate: number }[] };
    expect(g.weight).toBe(400);
    expect(g.weightDevice.length).toBeGreaterThanOrEqual(2);
    expect(g.throttleReadBpsDevice.find((t) => (t as unknown as Dev).major === major && (t as unknown as Dev).minor === minor)?.rate).toBe(2_000_000);
    expect(reference.get('devices that are not whole block devices')).toEqual({});
  });

  it('without --blockio-class the file is read but the spec has no blockIO, as with ctr', () => {
    const f = file('no-class.yaml', CASES[0][1]);
    const theirs = ctr(d, ['containers', 'create', '--blockio-config-file', f, image, 'ctr-nc'], { namespace: ns });
    const mine = ctrxOn(d, ['containers', 'create', '--blockio-config-file', f, image, 'ctrx-nc'], { namespace: ns });
    expect([theirs.code, mine.code]).toEqual([0, 0]);
    const spec = specOf(d, ns, 'ctrx-nc');
    expect(spec).toEqual(specOf(d, ns, 'ctr-nc'));
    expect(blockIOOf(spec)).toBeUndefined();
    ctr(d, ['containers', 'rm', 'ctr-nc', 'ctrx-nc'], { namespace: ns });
  });

  const bad: [string, string | null, string][] = [
    ['an unknown class', 'Classes:\n  gold:\n    - Weight: 80\n', 'platinum'],
    ['a class without a config file', null, 'gold'],
    ['a file that is not YAML', 'Classes: [\n', 'gold'],
    ['a value of the wrong type', 'Classes:\n  gold:\n    - Devices: /dev/sda\n', 'gold'],
    ['a list where a map belongs', 'Classes:\n  - gold\n', 'gold'],
    ['weight out of range', 'Classes:\n  gold:\n    - Weight: 5\n', 'gold'],
    ['bad units and throttles without devices', 'Classes:\n  gold:\n    - Weight: 1K\n      ThrottleReadBps: 1M\n', 'gold'],
    ['a missing file', '<missing>', 'gold'],
  ];

  it.each(bad)('fails as ctr does, making nothing, for %s', (name, text, cls) => {
    const i = bad.findIndex((b) => b[0] === name);
    const flags = text === null ? [] : ['--blockio-config-file', text === '<missing>' ? path.join(tmp, 'missing.yaml') : file(`bad-${i}.yaml`, text)];
    flags.push('--blockio-class', cls);
    const id = `bad-${i}`;
    const theirs = ctr(d, ['containers', 'create', ...flags, image, id], { namespace: ns });
    expect(theirs.code).toBe(1);
    for (const verb of [['containers', 'create'], ['run', '--rm']]) {
      const mine = ctrxOn(d, [...verb, ...flags, image, id, 'true'], { namespace: ns });
      expect(mine.code).toBe(1);
      expect(mine.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      if (name === 'a file that is not YAML') {
        // The YAML parsers word syntax errors differently; the frame is ctr's.
        expect(mine.stderr).toMatch(/^ctrx: blockio-config-file error: failed to set configuration from file ".*": error converting YAML to JSON: yaml: line \d+: /);
      } else expect(mine.stderr).toBe(oneLine(theirs.stderr));
      expect(ctr(d, ['containers', 'ls', '-q'], { namespace: ns }).stdout.split('\n')).not.toContain(id);
      expect(snapshotKeys(d, ns)).not.toContain(id);
    }
  });
});

// The container's blkio settings as runc wrote them (cgroup v1 or v2).
function cgroupBlockIO(ns: string, id: string): { weight?: string; rbps: string[]; wiops: string[] } {
  const v1 = path.join('/sys/fs/cgroup/blkio', ns, id);
  const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trim() : undefined);
  if (fs.existsSync(v1)) {
    const weight = read(path.join(v1, 'blkio.bfq.weight')) ?? read(path.join(v1, 'blkio.weight'));
    const lines = (f: string) => (read(path.join(v1, f)) ?? '').split('\n').filter(Boolean);
    return { weight, rbps: lines('blkio.throttle.read_bps_device'), wiops: lines('blkio.throttle.write_iops_device') };
  }
  const v2 = path.join('/sys/fs/cgroup', ns, id);
  const weight = (read(path.join(v2, 'io.bfq.weight')) ?? read(path.join(v2, 'io.weight')))?.split('\n')[0];
  // io.max: "MAJ:MIN rbps=N wbps=max riops=max wiops=N" per device.
  const max = (read(path.join(v2, 'io.max')) ?? '').split('\n').filter(Boolean);
  const pick = (key: string) => max.flatMap((l) => {
    const v = new RegExp(`\\b${key}=(\\d+)`).exec(l);
    return v ? [`${l.split(' ')[0]} ${v[1]}`] : [];
  });
  return { weight, rbps: pick('rbps'), wiops: pick('wiops') };
}

describe('a container in a blockio class runs under runc as ctr 2.1 runs it', () => {
  const runCfg = () => file('run.yaml', `Classes:\n  run:\n    - Weight: 80\n    - Devices: [${devA.node}]\n      ThrottleReadBps: 10M\n      ThrottleWriteIOPS: 100\n`);
  const reach: { r?: RunResult; cg?: ReturnType<typeof cgroupBlockIO> } = {};

  // ctr 2.1 on the 2.x daemon is the reference: what runc makes of the class here.
  beforeAll(async () => {
    const d2 = await daemon('2');
    const { ns, image } = await setupNamespace(d2, 'blkio-ref');
    reach.r = ctr(d2, ['run', '-d', '--blockio-config-file', runCfg(), '--blockio-class', 'run', image, 'ref', 'sleep', '30'], { namespace: ns });
    if (reach.r.code === 0) reach.cg = cgroupBlockIO(ns, 'ref');
    teardownNamespace(d2, ns);
  });

  describe.each(LINES)('containerd %s', (line) => {
    let d: Daemon;
    let ns: string;
    let image: string;
    namespaceForBlock(line, `blkio-run-${line.replace('.', '')}`, (f) => ({ d, ns, image } = f));

    it('has the blockIO ctr 2.1 builds, for every case', () => {
      expect(reference.size).toBe(CASES.length);
      for (const [name, text, cls] of CASES) {
        const id = `b16-${CASES.findIndex((c) => c[0] === name)}`;
        const f = file(`l${line}-${id}.yaml`, text);
        const mine = ctrxOn(d, ['containers', 'create', '--blockio-config-file', f, '--blockio-class', cls, image, id], { namespace: ns });
        expect(mine.code).toBe(0);
        expect([name, blockIOOf(specOf(d, ns, id))]).toEqual([name, reference.get(name)]);
        ctr(d, ['containers', 'rm', id], { namespace: ns });
      }
    });

    it('starts (or fails) as ctr 2.1 does, with the cgroup set as for ctr', () => {
      const mine = ctrxOn(d, ['run', '-d', '--blockio-config-file', runCfg(), '--blockio-class', 'run', image, 'blk', 'sleep', '30'], { namespace: ns });
      if (reach.r!.code !== 0) {
        // runc refused the class here: ctrx fails with runc's words too.
        const why = (r: RunResult) => /runc create failed: (.*)$/m.exec(r.stderr)?.[1];
        expect(mine.code).toBe(1);
        expect(why(mine)).toBeDefined();
        expect(why(mine)).toBe(why(reach.r!));
        return;
      }
      expect(mine.code).toBe(0);
      const cg = cgroupBlockIO(ns, 'blk');
      expect(cg).toEqual(reach.cg);
      // And those are the class's values, on the device's numbers as stat gives them.
      expect(cg.rbps).toContain(`${devA.major}:${devA.minor} 10000000`);
      expect(cg.wiops).toContain(`${devA.major}:${devA.minor} 100`);
      if (cg.weight !== undefined) expect(cg.weight).toMatch(/^(default )?80$/);
      ctr(d, ['tasks', 'kill', '-s', 'SIGKILL', 'blk'], { namespace: ns });
    });
  });
});
