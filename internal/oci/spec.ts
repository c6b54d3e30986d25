/**
 * The default OCI spec containerd's client builds (populateDefaultUnixSpec and
 * friends), per release line: 1.6's and 2.x's differ in ociVersion and one
 * masked path, so the spec follows the daemon's version the way ctr of that
 * version would build it.
 */
import type { Platform } from '../platforms';
import { parseVersion } from '../client/features';
import type { Spec } from './spec-json';

/** What differs between the ctr releases' default specs. */
export interface SpecFlavour {
  /** specs.Version of the runtime-spec module that release vendors. */
  ociVersion: string;
  /** /sys/devices/virtual/powercap masked (1.6.26+, 1.7.11+, 2.x). */
  maskPowercap: boolean;
  /** 2.x: the release line, for options that changed (seccomp, --user, ...). */
  line: '1.6' | '2';
}

/** The flavour for a daemon version string as Version.Version reports it ("1.6.20~ds1", "2.1.9"). */
export function flavourFor(version: string): SpecFlavour {
  const [major, minor, patch] = parseVersion(version);
  if (major >= 2) return { ociVersion: '1.2.1', maskPowercap: true, line: '2' };
  const powercap = (minor === 6 && patch >= 26) || (minor === 7 && patch >= 11) || minor > 7;
  // 1.7 vendors runtime-spec 1.1.0; 1.6 the 1.0.2-dev snapshot.
  return { ociVersion: minor >= 7 ? '1.1.0' : '1.0.2-dev', maskPowercap: powercap, line: '1.6' };
}

/** 2.x's flavour: what ctrx builds when no daemon says otherwise. */
export const DEFAULT_FLAVOUR: SpecFlavour = flavourFor('2.1.0');

const DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** PATH when the image sets no environment (containerd's defaultUnixEnv). */
export const DEFAULT_UNIX_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];

const mount = (destination: string, type: string, source: string, options: string[]) => ({ destination, type, source, options });

/** The default Linux spec for container `id` in namespace `ns` (id "" for `oci spec`). */
export function defaultUnixSpec(flavour: SpecFlavour, ns: string, id: string): Spec {
  const masked = ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware'];
  if (flavour.maskPowercap) masked.push('/sys/devices/virtual/powercap');
  masked.push('/proc/scsi');
  return {
    ociVersion: flavour.ociVersion,
    root: { path: 'rootfs' },
    process: {
      cwd: '/',
      noNewPrivileges: true,
      user: { uid: 0, gid: 0 },
      capabilities: { bounding: [...DEFAULT_CAPS], permitted: [...DEFAULT_CAPS], effective: [...DEFAULT_CAPS] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
    },
    mounts: [
      mount('/proc', 'proc', 'proc', ['nosuid', 'noexec', 'nodev']),
      mount('/dev', 'tmpfs', 'tmpfs', ['nosuid', 'strictatime', 'mode=755', 'size=65536k']),
      mount('/dev/pts', 'devpts', 'devpts', ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']),
      mount('/dev/shm', 'tmpfs', 'shm', ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']),
      mount('/dev/mqueue', 'mqueue', 'mqueue', ['nosuid', 'noexec', 'nodev']),
      mount('/sys', 'sysfs', 'sysfs', ['nosuid', 'noexec', 'nodev', 'ro']),
      mount('/run', 'tmpfs', 'tmpfs', ['nosuid', 'strictatime', 'mode=755', 'size=65536k']),
    ],
    linux: {
      maskedPaths: masked,
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
      // Go's path.Join("/", ns, id): an empty id leaves "/<ns>".
      cgroupsPath: '/' + [ns, id].filter(Boolean).join('/'),
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces: ['pid', 'ipc', 'uts', 'mount', 'network'].map((type) => ({ type })),
    },
  };
}

/**
 * The default spec for a platform, as 2.x's WithDefaultSpecForPlatform picks
 * it: Windows and Darwin get their own small specs, every other OS the Linux one.
 */
export function defaultSpecForPlatform(flavour: SpecFlavour, ns: string, id: string, platform?: Platform): Spec {
  const os = platform?.os ?? 'linux';
  if (os === 'windows') {
    return { ociVersion: flavour.ociVersion, root: { path: '' }, process: { cwd: 'C:\\', user: { uid: 0, gid: 0 } }, windows: { layerFolders: null } };
  }
  if (os === 'darwin') {
    return { ociVersion: flavour.ociVersion, root: { path: '' }, process: { cwd: '/', user: { uid: 0, gid: 0 } } };
  }
  return defaultUnixSpec(flavour, ns, id);
}

/** Allow rules WithDefaultUnixDevices adds: the usual character devices and the pty range. */
export const DEFAULT_UNIX_DEVICE_RULES: [major: number, minor: number | undefined][] = [
  [1, 3], [1, 8], [1, 7], [5, 0], [1, 5], [1, 9], [5, 1], [136, undefined], [5, 2],
];
