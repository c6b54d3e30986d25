/**
 * --sync-fs (ctr 2.x's import, pull, images mount and run):
 * every layer ctrx unpacks goes to Diff.Apply with sync_fs set, and without
 * the flag it is left out. The Transfer service's unpack has no such setting,
 * so on 2.x import and pull take the client path when it is given. ctrx takes
 * the flag on 1.6 too, whose daemon ignores the field it does not know.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ctr, ctrxOn, daemon, Daemon, LINES, privateRegistry, uniqueName } from '../helpers/rig';
import { parseTrace, short } from './trace-fixtures';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { buildImage } = require('../../scripts/lib/test-images');

jest.setTimeout(180_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-syncfs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each(LINES)('containerd %s', (line) => {
  let d: Daemon;
  let archive: string;
  let ref: string;
  const namespaces: string[] = [];
  beforeAll(async () => {
    d = await daemon(line);
    const img = await buildImage({ dir: path.join(tmp, line), name: `docker.io/ctrx/syncfs-${line.replace('.', '')}:1` });
    ({ archive, ref } = img);
  });
  afterAll(() => {
    for (const ns of namespaces) {
      for (const id of ctr(d, ['c', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean)) ctr(d, ['c', 'rm', id], { namespace: ns });
      const imgs = ctr(d, ['i', 'ls', '-q'], { namespace: ns }).stdout.split('\n').filter(Boolean);
      if (imgs.length) ctr(d, ['i', 'rm', '--sync', ...imgs], { namespace: ns });
      ctr(d, ['ns', 'rm', ns]);
    }
  });

  const freshNamespace = () => {
    const ns = uniqueName('syncfs');
    namespaces.push(ns);
    return ns;
  };
  /** The sync_fs values of every Diff.Apply a traced ctrx command made (it must have made some). */
  const applies = (ns: string, args: string[]) => {
    const r = ctrxOn(d, ['--trace=json', ...args], { namespace: ns });
    expect(r.code).toBe(0);
    const calls = parseTrace(r.stderr).filter((c) => short(c) === 'Diff/Apply');
    expect(calls.length).toBeGreaterThan(0);
    return calls.map((c) => (c.sent[0] as { sync_fs?: boolean }).sync_fs ?? false);
  };
  const imported = (ns: string) => {
    expect(ctr(d, ['images', 'import', '--no-unpack', archive], { namespace: ns }).code).toBe(0);
  };

  it('import: with the flag every layer is applied with sync_fs, without it none is', () => {
    expect(applies(freshNamespace(), ['images', 'import', '--sync-fs', archive]).every(Boolean)).toBe(true);
    expect(applies(freshNamespace(), ['images', 'import', '--local', archive]).some(Boolean)).toBe(false);
  });

  it('run and images mount pass it on when they unpack', () => {
    let ns = freshNamespace();
    imported(ns);
    expect(applies(ns, ['run', '--rm', '--sync-fs', ref, 'sfr', 'true']).every(Boolean)).toBe(true);
    ns = freshNamespace();
    imported(ns);
    expect(applies(ns, ['run', '--rm', ref, 'sfr', 'true']).some(Boolean)).toBe(false);
    ns = freshNamespace();
    imported(ns);
    const target = fs.mkdtempSync(path.join(tmp, 'mnt-'));
    expect(applies(ns, ['images', 'mount', '--sync-fs', ref, target]).every(Boolean)).toBe(true);
    expect(ctrxOn(d, ['images', 'unmount', '--rm', target], { namespace: ns }).code).toBe(0);
  });

  it('pull (client path) passes it on', async () => {
    const reg = await privateRegistry('plain');
    const remote = `${reg.host}/syncfs/${line.replace('.', '')}:1`;
    const seed = freshNamespace();
    imported(seed);
    expect(ctr(d, ['images', 'tag', ref, remote], { namespace: seed }).code).toBe(0);
    expect(ctr(d, ['images', 'push', '--plain-http', remote], { namespace: seed }).code).toBe(0);
    const ns = freshNamespace();
    expect(applies(ns, ['images', 'pull', '--plain-http', '--sync-fs', remote]).every(Boolean)).toBe(true);
    // ctr runs what ctrx pulled and unpacked.
    expect(ctr(d, ['run', '--rm', remote, 'sfp', 'true'], { namespace: ns }).code).toBe(0);
  });
});
