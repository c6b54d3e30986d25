/**
 * blockio classes from files: Go's globbing, device resolution on this
 * machine (numbers from coreutils' stat, not from the code under test), how
 * entries merge, and the errors and warnings ctr 2.1.9 gives for the same files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { loadBlockIOClasses } from '../../internal/blockio/classes';
import { resolveBlockDevices } from '../../internal/blockio/devices';
import { BadPatternError, goGlob, goMatch } from '../../internal/blockio/go-glob';
import { goQuote } from '../../internal/blockio/go-text';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-blkio-u-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
};

function statDev(node: string): { node: string; major: number; minor: number } | undefined {
  const m = /^block special file ([0-9a-f]+) ([0-9a-f]+)$/.exec(spawnSync('stat', ['-L', '-c', '%F %t %T', node], { encoding: 'utf8' }).stdout.trim());
  return m ? { node, major: parseInt(m[1], 16), minor: parseInt(m[2], 16) } : undefined;
}
const devs = fs
  .readdirSync('/sys/block')
  .map((n) => statDev(`/dev/${n}`))
  .filter((d) => !!d) as { node: string; major: number; minor: number }[];
const whole = devs.filter((d) => d.minor % 16 === 0);

describe('Go globs', () => {
  it.each([
    ['*', 'abc', true],
    ['a*c', 'abxc', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['*', 'a/b', false],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['[z-a]', 'm', false],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['sd[a-z]', 'sda', true],
    ['sd[a-z]', 'sda1', false],
  ])('%j matches %j: %p', (pattern, name, want) => {
    expect(goMatch(pattern, name)).toBe(want);
  });

  it.each(['[', 'a[', '[]', '[^]', '[-a]', '[a-]', 'a\\', '[\\'])('%j is a bad pattern', (pattern) => {
    expect(() => goMatch(pattern, 'x')).toThrow(BadPatternError);
    expect(() => goGlob(pattern)).toThrow('syntax error in pattern');
  });

  it('expands directories in sorted order, element by element', () => {
    for (const p of ['d1/b', 'd1/a', 'd2/a', 'd2/.h']) {
      fs.mkdirSync(path.join(tmp, 'g', path.dirname(p)), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'g', p), '');
    }
    const g = path.join(tmp, 'g');
    expect(goGlob(`${g}/d*/*`)).toEqual(['d1/a', 'd1/b', 'd2/.h', 'd2/a'].map((p) => path.join(g, p)));
    expect(goGlob(`${g}/d?/a`)).toEqual([`${g}/d1/a`, `${g}/d2/a`]);
    expect(goGlob(`${g}/nothing*`)).toEqual([]);
    expect(goGlob(`${g}/d1`)).toEqual([`${g}/d1`]);
    expect(goGlob(`${g}/absent`)).toEqual([]);
    expect(goGlob('')).toEqual([]);
  });
});

describe('block devices', () => {
  it('finds this machine\'s whole block devices with the numbers stat gives', () => {
    expect(whole.length).toBeGreaterThan(0);
    const link = path.join(tmp, 'link-to-dev');
    fs.symlinkSync(whole[0].node, link);
    const r = resolveBlockDevices([...whole.map((d) => d.node), link]);
    expect(r.devices).toEqual(whole.map(({ node, major, minor }) => ({ node, major, minor })));
    expect(r.problems).toEqual([]);
  });

  it('skips what is not a whole block device, saying why', () => {
    const plain = file('plain', 'x');
    const dangling = path.join(tmp, 'dangling');
    fs.symlinkSync(path.join(tmp, 'gone'), dangling);
    const part = devs.find((d) => d.minor % 16 !== 0);
    const r = resolveBlockDevices(['/dev/null', plain, '/nonexistent', '/dev/[', '', dangling, ...(part ? [part.node] : [])]);
    expect(r.devices).toEqual([]);
    expect(r.problems.sort()).toEqual(
      [
        'device wildcard "/nonexistent" does not match any device nodes',
        'bad device wildcard "/dev/[": syntax error in pattern',
        'device wildcard "" does not match any device nodes',
        `cannot filepath.EvalSymlinks(${goQuote(dangling)}): lstat ${path.join(tmp, 'gone')}: no such file or directory`,
        'file "/dev/null" is a character device',
        `file ${goQuote(plain)} is not a device`,
        ...(part ? [`skipping ${goQuote(part.node)}: cannot weight/throttle partitions`] : []),
      ].sort(),
    );
  });
});

describe('blockio classes', () => {
  it('turns a class into OCI blockIO, merging entries in order', () => {
    const [a, b] = [whole[0], whole[1] ?? whole[0]];
    const f = file(
      'merge.yaml',
      [
        'Classes:',
        '  gold:',
        '    - Weight: 80',
        `    - Devices: [${a.node}, ${b.node}]`,
        '      Weight: 50',
        '      ThrottleReadBps: 1M',
        `    - Devices: [${b.node}]`,
        '      Weight: 60',
        '      ThrottleWriteIOPS: 10k',
        '    - Weight: 90',
        '  empty:',
        '',
      ].join('\n'),
    );
    const { classes } = loadBlockIOClasses(f);
    const at = (d: typeof a, key: string, v: number) => ({ major: d.major, minor: d.minor, [key]: v });
    const distinct = a !== b;
    expect(classes.get('gold')).toEqual({
      weight: 90,
      weightDevice: distinct ? [at(a, 'weight', 50), at(b, 'weight', 60)] : [at(a, 'weight', 60)],
      throttleReadBpsDevice: distinct ? [at(a, 'rate', 1e6), at(b, 'rate', 1e6)] : [at(a, 'rate', 1e6)],
      throttleWriteIOPSDevice: [at(b, 'rate', 10_000)],
    });
    expect(classes.get('empty')).toEqual({});
    expect([...classes.keys()]).toEqual(['empty', 'gold']);
  });

  it('warns about weights on devices whose I/O scheduler ignores them, and unmatched Devices', () => {
    const sched = (d: { node: string }) => fs.readFileSync(`/sys/block/${path.basename(d.node)}/queue/scheduler`, 'utf8');
    const dev = whole[0];
    const active = /\[([^\]]+)\]/.exec(sched(dev))?.[1] ?? sched(dev).trim();
    const f = file('warn.yaml', `Classes:\n  w:\n    - Devices: [${dev.node}]\n      Weight: 50\n    - Devices: [/nonexistent]\n      Weight: 50\n`);
    const { warnings } = loadBlockIOClasses(f);
    expect(warnings).toEqual([
      ...(active === 'bfq' || active === 'cfq' ? [] : [`weight has no effect on device ${goQuote(dev.node)} due to incompatible I/O scheduler ${goQuote(active)} (bfq or cfq required)`]),
      '1 error occurred: device wildcard "/nonexistent" does not match any device nodes',
      'no matches on any of Devices: [/nonexistent], parameters ignored',
    ]);
  });

  it.each([
    ['Classes:\n  x:\n    - Weight: 5\n', '1 error occurred: value of "Weight" (5) smaller than minimum (10)'],
    ['Classes:\n  x:\n    - Weight: 1001\n', '1 error occurred: value of "Weight" (1001) bigger than maximum (1000)'],
    ['Classes:\n  x:\n    - Weight: abc\n      ThrottleReadBps: 1M\n', '2 errors occurred: syntax error in "Weight" ("abc"); ignoring throttling (rbps="1M" wbps="" riops="" wiops=""): Devices not listed'],
    ['Classes:\n  x:\n    - Devices: [/dev/null]\n      ThrottleWriteIOPS: -1\n', '1 error occurred: value of "ThrottleWriteIOPS" (-1) smaller than minimum (0)'],
    ['Classes:\n  x:\n    - Weight: [1]\n', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field .Classes.x.0.Weight of type string'],
    ['Classes:\n  x:\n\t- Weight: 1\n', 'error converting YAML to JSON: yaml: line 3: Tabs are not allowed as indentation'],
  ])('fails the whole file for %j', (text, why) => {
    const f = file('bad.yaml', text);
    expect(() => loadBlockIOClasses(f)).toThrow(new Error(`failed to set configuration from file ${goQuote(f)}: ${why}`));
  });

  it('says why a file cannot be read', () => {
    expect(() => loadBlockIOClasses(path.join(tmp, 'none.yaml'))).toThrow(`failed to read config file ${goQuote(path.join(tmp, 'none.yaml'))}: open ${path.join(tmp, 'none.yaml')}: no such file or directory`);
    expect(() => loadBlockIOClasses(tmp)).toThrow(`failed to read config file ${goQuote(tmp)}: read ${tmp}: is a directory`);
  });
});
