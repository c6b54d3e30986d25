/**
 * The coverage check: every command path, alias and flag of the installed
 * ctr of each containerd line (1.6: /usr/bin/ctr; 2.x: the ctr the rig runs)
 * exists in ctrx, both read through `--help`. What ctrx lacks on purpose or
 * does not have yet is listed in exceptions.ts, and that list must be exact.
 */
import * as fs from 'fs';
import { ctrTree, ctrxTree, type Tree } from './help-tree';
import { FLAG_EXCEPTIONS, IGNORED_COMMANDS, PENDING, PENDING_FLAGS } from './exceptions';
import { daemon, type Line } from '../helpers/rig';

const CTR_2 = `${process.env.CTRX_CACHE || '/var/cache/ctrx'}/x/containerd/usr/bin/ctr`;

/** The ctr binary of a line; the 2.x one comes from the rig's cache (a daemon is started only if it is missing). */
async function ctrOf(line: Line): Promise<string> {
  if (line === '1.6') return '/usr/bin/ctr';
  return fs.existsSync(CTR_2) ? CTR_2 : (await daemon('2')).ctr;
}

interface Gaps {
  commands: string[];
  aliases: string[];
  flags: string[];
}

const ignored = new Set(IGNORED_COMMANDS.map((c) => c.name));
const lastWord = (p: string) => p.split(' ').pop()!;

/** What ctr has and ctrx does not: commands (topmost only), aliases ("path alias") and flags ("path --flag"). */
function gaps(ctr: Tree, ctrx: Tree): Gaps {
  const g: Gaps = { commands: [], aliases: [], flags: [] };
  const missing = (p: string) => !ctrx.has(p) || ctrx.get(p)!.placeholder;
  for (const node of ctr.values()) {
    const p = node.path;
    if (p && ignored.has(lastWord(p))) continue;
    if (p && missing(p)) {
      const parent = p.split(' ').slice(0, -1).join(' ');
      if (!parent || !missing(parent)) g.commands.push(p);
      continue;
    }
    const mine = ctrx.get(p)!;
    for (const a of node.aliases) if (!mine.aliases.includes(a)) g.aliases.push(`${p} ${a}`);
    for (const f of node.flags) if (!mine.flags.includes(f)) g.flags.push(`${p} --${f}`);
  }
  return g;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('coverage of ctr command trees', () => {
  let mine: Tree;
  const theirs = new Map<Line, Tree>();
  const found = new Map<Line, Gaps>();

  beforeAll(async () => {
    mine = await ctrxTree();
    for (const line of ['1.6', '2'] as Line[]) {
      const t = await ctrTree(await ctrOf(line));
      theirs.set(line, t);
      found.set(line, gaps(t, mine));
    }
  }, 300_000);

  it('reads real trees (the walk itself works)', () => {
    // A broken walk would make every later check pass vacuously.
    for (const t of theirs.values()) {
      expect(t.size).toBeGreaterThan(60);
      expect(t.get('snapshots')?.aliases).toEqual(['snapshot']);
      expect(t.get('snapshots prepare')?.flags).toEqual(expect.arrayContaining(['target', 't', 'mounts']));
    }
    expect(mine.get('snapshots list')?.aliases).toEqual(['ls']);
    expect(mine.get('')?.flags).toEqual(expect.arrayContaining(['address', 'a', 'namespace', 'n']));
  });

  it.each(['1.6', '2'] as Line[])('has every alias of ctr %s', (line) => {
    expect(found.get(line)!.aliases).toEqual([]);
  });

  it.each(['1.6', '2'] as Line[])('has every flag of ctr %s, but for the documented exceptions', (line) => {
    const allowed = new Set([...FLAG_EXCEPTIONS.map((e) => `${e.path} --${e.flag}`), ...PENDING_FLAGS]);
    expect(found.get(line)!.flags.filter((f) => !allowed.has(f))).toEqual([]);
  });

  it('lists in PENDING exactly the ctr commands ctrx does not have yet', () => {
    const missing = sorted([...found.values()].flatMap((g) => g.commands));
    const pending = sorted(PENDING);
    const landed = pending.filter((p) => !missing.includes(p)).map((p) => `remove from PENDING: ${p}`);
    const fresh = missing.filter((p) => !pending.includes(p)).map((p) => `missing in ctrx (not in PENDING): ${p}`);
    expect([...landed, ...fresh]).toEqual([]);
  });

  it('lists in PENDING_FLAGS only flags ctrx still lacks', () => {
    const all = new Set([...found.values()].flatMap((g) => g.flags));
    expect(PENDING_FLAGS.filter((f) => !all.has(f)).map((f) => `remove from PENDING_FLAGS: ${f}`)).toEqual([]);
  });

  it('needs every flag exception it lists', () => {
    const all = new Set([...found.values()].flatMap((g) => g.flags));
    const stale = FLAG_EXCEPTIONS.filter((e) => !all.has(`${e.path} --${e.flag}`)).map((e) => `remove from FLAG_EXCEPTIONS: ${e.path} --${e.flag}`);
    expect(stale).toEqual([]);
  });
});
