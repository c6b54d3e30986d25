/** Mounting snapshot mounts on this machine with mount(8), as ctr's mount.All / UnmountAll do with mount(2). */
import { spawnSync } from 'child_process';

export interface MountSpec {
  type: string;
  source: string;
  target?: string;
  options: string[];
}

/** Mount each in order at target (bind mounts as binds, others by type). */
export function mountAll(mounts: readonly MountSpec[], target: string): void {
  for (const m of mounts) {
    const isBind = m.type === 'bind' || m.options.includes('bind') || m.options.includes('rbind');
    const args = isBind ? [] : ['-t', m.type];
    if (m.options.length) args.push('-o', m.options.join(','));
    args.push(m.source, target);
    const r = spawnSync('mount', args, { encoding: 'utf8' });
    if (r.error) throw new Error(`mount ${target}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`mount ${m.source} on ${target} (${m.type}): ${(r.stderr || '').trim() || `mount exited with ${r.status}`}`);
  }
}

/** True if something is mounted exactly at path. */
export function isMountPoint(path: string): boolean {
  return spawnSync('mountpoint', ['-q', path]).status === 0;
}

/** Unmount everything stacked at target; a target with nothing mounted is fine. */
export function unmountAll(target: string): void {
  for (let i = 0; i < 64 && isMountPoint(target); i++) {
    const r = spawnSync('umount', [target], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`unmount ${target}: ${(r.stderr || '').trim() || `umount exited with ${r.status}`}`);
  }
}
