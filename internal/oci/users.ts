/** /etc/passwd and /etc/group of a container's root filesystem, read as containerd's WithUser does. */
import * as fs from 'fs';
import * as path from 'path';

/** No passwd entry matched (containerd's ErrNoUsersFound). */
export class NoUsersFound extends Error {
  constructor() {
    super('no users found');
  }
}

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/**
 * A path inside root with symlinks resolved inside root too, so that an
 * absolute link in the image does not point at the host's files.
 */
export function rootPath(root: string, p: string): string {
  let cur = root;
  const parts = p.split('/').filter(Boolean);
  for (let i = 0, hops = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '.') continue;
    if (part === '..') {
      cur = cur === root ? root : path.dirname(cur);
      continue;
    }
    const next = path.join(cur, part);
    let target: string | undefined;
    try {
      if (fs.lstatSync(next).isSymbolicLink()) target = fs.readlinkSync(next);
    } catch {
      // Missing: the open that follows reports it.
    }
    if (target !== undefined) {
      if (++hops > 255) throw new Error(`too many links in ${p}`);
      parts.splice(i + 1, 0, ...target.split('/').filter(Boolean));
      if (target.startsWith('/')) cur = root;
      continue;
    }
    cur = next;
  }
  return cur;
}

const int = (s: string | undefined) => (s && /^\d+$/.test(s.trim()) ? Number(s.trim()) : 0);

function lines(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

/** The first /etc/passwd entry that matches. */
export function userFromRoot(root: string, match: (u: PasswdEntry) => boolean): PasswdEntry {
  for (const f of lines(rootPath(root, '/etc/passwd'))) {
    const u = { name: f[0], uid: int(f[2]), gid: int(f[3]) };
    if (match(u)) return u;
  }
  throw new NoUsersFound();
}

function groups(root: string): GroupEntry[] {
  return lines(rootPath(root, '/etc/group')).map((f) => ({
    name: f[0],
    gid: int(f[2]),
    members: (f[3] ?? '').split(',').map((x) => x.trim()).filter(Boolean),
  }));
}

/** The GID of the first matching group. */
export function gidFromRoot(root: string, match: (g: GroupEntry) => boolean): number {
  const g = groups(root).find(match);
  if (!g) throw new Error('no groups found');
  return g.gid;
}

/** GIDs of every matching group. */
export function supplementalGroups(root: string, match: (g: GroupEntry) => boolean): number[] {
  return groups(root).filter(match).map((g) => g.gid);
}
