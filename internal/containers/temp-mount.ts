/**
 * Read access to a snapshot's files from the client, as containerd's
 * mount.WithTempMount gives WithUser and WithAdditionalGIDs: the snapshot's
 * mounts made read-only and mounted on a temporary directory for the time of
 * one callback. Like ctr, this needs root on the daemon's host.
 *
 * mount(2) is not reachable from Node, so util-linux mount(8)/umount(8) do it.
 * When no layer of an overlay holds an /etc at all, the answer is known
 * without mounting (every lookup would find no file), and the mount is skipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

/** A mount as Snapshots.Prepare/Mounts return it. */
export interface ApiMount {
  type: string;
  source: string;
  target?: string;
  options: string[];
}

// containerd's tryReadonlyMounts: an overlay without its upper and work dirs, a bind with "ro".
function readonly(m: ApiMount): ApiMount {
  if (m.type === 'overlay') {
    let upper = '';
    let lower = '';
    const rest: string[] = [];
    for (const o of m.options) {
      if (o.startsWith('upperdir=')) upper = o.slice(9);
      else if (o.startsWith('lowerdir=')) lower = o.slice(9);
      else if (!o.startsWith('workdir=') && o !== 'rw') rest.push(o);
    }
    const lowers = [upper, lower].filter(Boolean).join(':');
    // One directory is not an overlay: bind it instead.
    if (!lowers.includes(':')) return { type: 'bind', source: lowers, options: ['rbind', 'ro'] };
    return { type: 'overlay', source: m.source, options: [...rest, `lowerdir=${lowers}`] };
  }
  if (m.type === 'bind' || m.options.includes('bind') || m.options.includes('rbind')) {
    return { ...m, options: [...m.options.filter((o) => o !== 'rw'), 'ro'] };
  }
  return m;
}

// The directories an overlay or bind mount shows, top first (for the no-/etc shortcut).
function layerDirs(mounts: ApiMount[]): string[] | undefined {
  if (mounts.length !== 1) return undefined;
  const m = readonly(mounts[0]);
  if (m.type === 'bind') return [m.source];
  if (m.type === 'overlay') {
    const lower = m.options.find((o) => o.startsWith('lowerdir='));
    return lower ? lower.slice(9).split(':') : undefined;
  }
  return undefined;
}

const exists = (p: string) => {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
}

/** A read-only view of the mounts at a temporary directory; release() unmounts and removes it. */
export function mountReadonly(mounts: ApiMount[]): { root: string; release: () => void } {
  const dirs = layerDirs(mounts);
  if (dirs && dirs.every((d) => fs.existsSync(d) && !exists(path.join(d, 'etc')))) {
    // No layer has /etc: the merged tree has none either, and an empty directory answers the same.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrx-root-'));
    return { root: empty, release: () => fs.rmdirSync(empty) };
  }
  return mountAt(mounts.map(readonly));
}

/** The mounts as they are (read-write), at a temporary directory; release() unmounts and removes it. */
export function mountAt(mounts: ApiMount[]): { root: string; release: () => void } {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'containerd-mount'));
  const mounted: string[] = [];
  const release = () => {
    for (let i = mounted.length - 1; i >= 0; i--) spawnSync('umount', [mounted[i]]);
    mounted.length = 0;
    // Never recursive: if the unmount failed, the snapshot's files are still under target.
    fs.rmdirSync(target);
  };
  try {
    for (const m of mounts) {
      const opts = m.options.join(',');
      if (m.type === 'bind') run('mount', ['-o', opts.includes('bind') ? opts : `bind,${opts}`, m.source, target]);
      else run('mount', ['-t', m.type, ...(opts ? ['-o', opts] : []), m.source, target]);
      mounted.push(target);
    }
  } catch (err) {
    release();
    throw err;
  }
  return { root: target, release };
}

/**
 * Access to a root filesystem for spec options: a plain directory (--rootfs),
 * or snapshot mounts mounted on first use and kept until release().
 */
export function rootfsAccess(source: { dir: string } | { mounts: ApiMount[] }): {
  access: <T>(fn: (root: string) => Promise<T> | T) => Promise<T>;
  release: () => void;
} {
  if ('dir' in source) return { access: async (fn) => fn(source.dir), release: () => undefined };
  let view: { root: string; release: () => void } | undefined;
  return {
    access: async (fn) => {
      view ??= mountReadonly(source.mounts);
      return fn(view.root);
    },
    release: () => {
      view?.release();
      view = undefined;
    },
  };
}
