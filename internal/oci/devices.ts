/**
 * Device nodes for the spec, found the way containerd's oci package finds
 * them: lstat each node, keep character and block devices with a non-zero
 * major, walk /dev in name order skipping the pseudo-filesystem folders.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A LinuxDevice entry of the spec. */
export interface LinuxDevice {
  path: string;
  type: string;
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

// Folders under /dev that hold no device nodes to pass on (pty, shm, fd, mqueue, container tools).
const SKIP_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);
const S_IFMT = 0o170000;
const S_IFBLK = 0o060000;
const S_IFCHR = 0o020000;

/** The device at path, or undefined if it is not a device node. */
export function deviceFromPath(p: string): LinuxDevice | undefined {
  const st = fs.lstatSync(p, { bigint: true });
  const dev = st.rdev;
  // glibc's major()/minor() split of dev_t.
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  if (major === 0) return undefined;
  const mode = Number(st.mode);
  const fmt = mode & S_IFMT;
  const type = fmt === S_IFBLK ? 'b' : fmt === S_IFCHR ? 'c' : '';
  return { path: p, type, major, minor, fileMode: mode & ~S_IFMT, uid: Number(st.uid), gid: Number(st.gid) };
}

/** Devices at a path: the node itself, or every node below a directory. */
export function devicesAt(p: string, containerPath: string): LinuxDevice[] {
  const st = fs.statSync(p);
  if (!st.isDirectory()) {
    const d = deviceFromPath(p);
    if (!d) throw new Error(`${p}: not a device node`);
    return [d];
  }
  const out: LinuxDevice[] = [];
  const names = fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of names) {
    const full = path.join(p, e.name);
    const cp = containerPath ? path.join(containerPath, e.name) : '';
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      out.push(...devicesAt(full, cp));
      continue;
    }
    if (e.name === 'console') continue;
    let d: LinuxDevice | undefined;
    try {
      d = deviceFromPath(full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if (!d) continue;
    if (cp) d.path = cp;
    out.push(d);
  }
  return out;
}

/** Every device node of the host (WithHostDevices). */
export function hostDevices(): LinuxDevice[] {
  return devicesAt('/dev', '');
}
