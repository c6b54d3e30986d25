/**
 * Block devices named in a blockio class's Devices list, resolved as goresctrl
 * does: each entry is a Go glob, symlinks are followed, and only whole block
 * devices count (character devices, other files and partitions, i.e. minors
 * not a multiple of 16, are skipped with a reason).
 */
import * as fs from 'fs';
import * as path from 'path';
import { goGlob } from './go-glob';
import { errnoText, goQuote } from './go-text';

/** A block device a class applies to. */
export interface BlockDevice {
  major: number;
  minor: number;
  /** The device node behind the names and links ("/dev/vda"). */
  node: string;
}

// Linux's dev_t layout (gnu_dev_major/minor).
const major = (rdev: bigint) => Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
const minor = (rdev: bigint) => Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));

// filepath.EvalSymlinks: the real path; relative when the name was and no link took it elsewhere.
function evalSymlinks(name: string): string {
  const real = fs.realpathSync(name);
  if (!path.isAbsolute(name) && path.resolve(name) === real) return path.normalize(name);
  return real;
}

// Where following name's links ends at something missing: the path Go's error names.
function missingTarget(name: string): string {
  let p = name;
  for (let i = 0; i < 255; i++) {
    try {
      if (!fs.lstatSync(p).isSymbolicLink()) return p;
      p = path.resolve(path.dirname(p), fs.readlinkSync(p));
    } catch {
      return p;
    }
  }
  return p;
}

const appendOrigin = (prev: string | undefined, origin: string) => `${prev ?? ''} ${origin}`.trim();

/** The block devices the patterns name, and what was skipped on the way (warnings, as goresctrl logs them). */
export function resolveBlockDevices(patterns: string[]): { devices: BlockDevice[]; problems: string[] } {
  const problems: string[] = [];
  // 1. Patterns to existing names (maybe links), remembering which pattern found them.
  const matches = new Map<string, string>();
  for (const pattern of patterns) {
    let found: string[];
    try {
      found = goGlob(pattern);
    } catch (e) {
      problems.push(`bad device wildcard ${goQuote(pattern)}: ${(e as Error).message}`);
      continue;
    }
    if (found.length === 0) {
      problems.push(`device wildcard ${goQuote(pattern)} does not match any device nodes`);
      continue;
    }
    for (const m of found) matches.set(m, appendOrigin(matches.get(m), m !== pattern ? `from wildcard ${goQuote(pattern)}` : ''));
  }
  // 2. Names to the nodes behind them.
  const nodes = new Map<string, string>();
  for (const [name, origin] of matches) {
    let real: string;
    try {
      real = evalSymlinks(name);
    } catch (e) {
      problems.push(`cannot filepath.EvalSymlinks(${goQuote(name)}): lstat ${missingTarget(name)}: ${errnoText(e)}`);
      continue;
    }
    nodes.set(real, appendOrigin(nodes.get(real), real !== name ? `from symlink ${goQuote(name)} ${origin}` : origin));
  }
  // 3. Nodes to whole block devices.
  const devices: BlockDevice[] = [];
  for (const [node, origin] of nodes) {
    const why = origin ? ` (origin: ${origin})` : '';
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(node, { bigint: true });
    } catch (e) {
      problems.push(`cannot os.Stat(${goQuote(node)}): stat ${node}: ${errnoText(e)}${why}`);
      continue;
    }
    if (!st.isBlockDevice() && !st.isCharacterDevice()) problems.push(`file ${goQuote(node)} is not a device${why}`);
    else if (st.isCharacterDevice()) problems.push(`file ${goQuote(node)} is a character device${why}`);
    else if ((minor(st.rdev) & 0xf) !== 0) problems.push(`skipping ${goQuote(node)}: cannot weight/throttle partitions${why}`);
    else devices.push({ major: major(st.rdev), minor: minor(st.rdev), node });
  }
  return { devices, problems };
}

/** The active I/O scheduler of each block device, by node ("/dev/vda" -> "mq-deadline"). */
export function ioSchedulers(): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = fs.readdirSync('/sys/block');
  } catch {
    return out;
  }
  for (const name of names) {
    let text: string;
    try {
      text = fs.readFileSync(`/sys/block/${name}/queue/scheduler`, 'utf8').replace(/^\n+|\n+$/g, '');
    } catch {
      continue; // no scheduler file, or the device went away
    }
    const current = !text.includes(' ') ? text : (/\[([^\]]*)\]/.exec(text)?.[1] ?? '');
    if (current) out.set(`/dev/${name}`, current);
  }
  return out;
}
