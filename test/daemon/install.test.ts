/**
 * `ctrx install` through the built binary: an image's bin/ into the daemon's
 * managed opt directory (or --path), the same files ctr installs, and a
 * refused install that leaves the directory untouched.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ctr, ctrxOn, daemon, Daemon, LINES, uniqueName } from '../helpers/rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildImage } = require('../../scripts/lib/test-images');

/** A directory tree as "path type mode [target|size]" lines. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = fs.lstatSync(p);
      const rel = path.relative(root, p);
      if (st.isSymbolicLink()) out.push(`${rel} link ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.push(`${rel} dir`);
        walk(p);
      } else out.push(`${rel} file ${(st.mode & 0o777).toString(8)} ${st.size}`);
    }
  };
  walk(root);
  return out;
}

describe.each(LINES)('containerd %s: install', (line) => {
  let d: Daemon;
  let ns: string;
  let ref: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-inst-'));
  const opt = () => path.join(d.dir, 'opt');

  beforeAll(async () => {
    d = await daemon(line);
    ns = uniqueName('inst');
    const img = await buildImage({ dir: work, name: `ctrx/inst-${line}:1` });
    ref = img.ref;
    expect(ctr(d, ['images', 'import', img.archive], { namespace: ns }).code).toBe(0);
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(path.join(opt(), 'bin'), { recursive: true, force: true });
  });

  it('installs into --path the same files ctr installs', () => {
    const mineDir = path.join(work, 'mine');
    const theirsDir = path.join(work, 'theirs');
    fs.mkdirSync(theirsDir);
    expect(ctrxOn(d, ['install', '--path', mineDir, ref], { namespace: ns })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(ctr(d, ['install', '--path', theirsDir, ref], { namespace: ns }).code).toBe(0);
    expect(listing(mineDir)).toEqual(listing(theirsDir));
    expect(listing(mineDir)).toEqual(expect.arrayContaining(['bin dir', 'bin/sh link busybox', `bin/busybox file 755 ${fs.statSync('/bin/busybox').size}`]));
    expect(spawnSync(path.join(mineDir, 'bin', 'echo'), ['installed'], { encoding: 'utf8' }).stdout).toBe('installed\n');
  });

  it("installs into the daemon's opt directory, refuses to replace without --replace, and replaces with it", () => {
    fs.rmSync(path.join(opt(), 'bin'), { recursive: true, force: true });
    expect(ctrxOn(d, ['install', ref], { namespace: ns })).toMatchObject({ code: 0, stderr: '' });
    const installed = listing(opt());
    expect(installed).toContain('bin/cat link busybox');
    // ctr finds them where it would have put them.
    expect(ctr(d, ['install', ref], { namespace: ns }).stderr).toBe(`ctr: cannot replace bin/busybox in ${opt()}\n`);
    // A refused install changes nothing, even files it would have reached first.
    fs.rmSync(path.join(opt(), 'bin', 'busybox'));
    fs.writeFileSync(path.join(opt(), 'bin', 'busybox'), 'mine\n');
    const r = ctrxOn(d, ['install', ref], { namespace: ns });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^ctrx: install ${ref}: cannot replace bin/\\w+ in ${opt()}\\n$`));
    expect(fs.readFileSync(path.join(opt(), 'bin', 'busybox'), 'utf8')).toBe('mine\n');
    expect(ctrxOn(d, ['install', '-r', ref], { namespace: ns }).code).toBe(0);
    expect(listing(opt())).toEqual(installed);
  });

  it('refuses an unknown image in one line', () => {
    const r = ctrxOn(d, ['install', 'docker.io/ctrx/no-such:image'], { namespace: ns });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ctrx: install docker\.io\/ctrx\/no-such:image: .*not found\n$/);
  });
});
