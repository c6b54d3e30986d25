/**
 * Spec options: small functions that each change one part of a spec, with the
 * same effect as containerd's oci.With* options ctr applies (same order of
 * list entries, same replace-or-append rules), so the final JSON matches.
 */
import * as fs from 'fs';
import * as os from 'os';
import type { Spec } from './spec-json';
import { DEFAULT_UNIX_DEVICE_RULES, DEFAULT_UNIX_ENV } from './spec';
import { hostDevices, devicesAt } from './devices';
import { currentCapabilities } from './caps';
import { userFromRoot, supplementalGroups, gidFromRoot, NoUsersFound } from './users';

/** Gives an option read access to the container's root filesystem (mounted if needed). */
export type RootfsAccess = <T>(fn: (root: string) => Promise<T> | T) => Promise<T>;

/** A spec option. */
export type SpecOpt = (spec: Spec, ctx: OptContext) => void | Promise<void>;

/** What options may need besides the spec. */
export interface OptContext {
  rootfs: RootfsAccess;
}

const proc = (s: Spec) => (s.process ??= { user: { uid: 0, gid: 0 }, cwd: '' });
const linux = (s: Spec) => (s.linux ??= {});
const resources = (s: Spec) => (linux(s).resources ??= {});
const caps = (s: Spec) => (proc(s).capabilities ??= {});

/** containerd's replaceOrAppendEnvValues: same key replaced, new key appended, bare KEY removed. */
export function replaceOrAppendEnv(defaults: string[] | undefined, overrides: string[] | undefined): string[] {
  const results = [...(defaults ?? [])];
  const index = new Map<string, number>();
  results.forEach((e, i) => index.set(e.split('=')[0], i));
  for (const v of overrides ?? []) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    const i = index.get(key);
    if (eq < 0) {
      if (i !== undefined) results[i] = '';
    } else if (i !== undefined) results[i] = v;
    else results.push(v); // appended values are not indexed: a repeated new key appends twice, as in Go
  }
  return results.filter((e) => e !== '');
}

/** WithEnv. */
export const withEnv = (env: string[]): SpecOpt => (s) => {
  if (!env.length) return;
  proc(s).env = replaceOrAppendEnv(proc(s).env, env);
};

/** WithEnvFile: every line of the file is an env entry. */
export const withEnvFile = (file: string): SpecOpt => (s, ctx) => {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return withEnv(lines.map((l) => l.replace(/\r$/, '')))(s, ctx);
};

/** WithDefaultUnixDevices: allow the usual character devices and the pty range. */
export const withDefaultUnixDevices: SpecOpt = (s) => {
  const r = resources(s);
  r.devices ??= [];
  for (const [major, minor] of DEFAULT_UNIX_DEVICE_RULES) r.devices.push({ allow: true, type: 'c', major, minor, access: 'rwm' });
};

/** WithMounts: appended after the defaults. */
export const withMounts = (mounts: Spec[]): SpecOpt => (s) => {
  if (mounts.length) s.mounts = [...(s.mounts ?? []), ...mounts];
};

/** WithRootFSPath. */
export const withRootfsPath = (path: string): SpecOpt => (s) => {
  s.root = { ...(s.root ?? {}), path };
};

/** WithRootFSReadonly. */
export const withRootfsReadonly: SpecOpt = (s) => {
  s.root = { path: '', ...(s.root ?? {}), readonly: true };
};

/** WithProcessArgs. */
export const withProcessArgs = (args: string[]): SpecOpt => (s) => {
  proc(s).args = [...args];
};

/** WithProcessCwd. */
export const withProcessCwd = (cwd: string): SpecOpt => (s) => {
  proc(s).cwd = cwd;
};

/** WithTTY: a terminal and TERM=xterm (appended, not merged, as containerd does). */
export const withTTY: SpecOpt = (s) => {
  const p = proc(s);
  p.terminal = true;
  if (s.linux) p.env = [...(p.env ?? []), 'TERM=xterm'];
};

/** The image config fields WithImageConfig reads. */
export interface ImageProcessConfig {
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  User?: string;
}

/** WithImageConfig: env, args, cwd and user from the image's config. */
export const withImageConfig = (config: ImageProcessConfig): SpecOpt => async (s, ctx) => {
  const p = proc(s);
  if (!s.linux) return;
  const defaults = config.Env?.length ? config.Env : DEFAULT_UNIX_ENV;
  p.env = replaceOrAppendEnv(defaults, p.env);
  p.args = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  p.cwd = config.WorkingDir || '/';
  if (config.User) {
    await withUser(config.User)(s, ctx);
    return withAdditionalGIDs(String(p.user.uid))(s, ctx);
  }
  return withAdditionalGIDs('root')(s, ctx);
};

// The primary GID first among the additional ones, unless already there.
function ensureAdditionalGids(s: Spec): void {
  const u = proc(s).user;
  const gids: number[] = u.additionalGids ?? [];
  if (!gids.includes(u.gid)) u.additionalGids = [u.gid, ...gids];
}

const isNotExist = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

/** WithUserID: uid, and its gid from /etc/passwd (0 when it has no entry). */
export const withUserID = (uid: number): SpecOpt => async (s, ctx) => {
  const p = proc(s);
  p.user.additionalGids = undefined;
  try {
    await ctx.rootfs(async (root) => {
      try {
        const u = userFromRoot(root, (x) => x.uid === uid);
        p.user.uid = u.uid;
        p.user.gid = u.gid;
      } catch (e) {
        if (!isNotExist(e) && !(e instanceof NoUsersFound)) throw e;
        p.user.uid = uid;
        p.user.gid = 0;
      }
    });
  } finally {
    ensureAdditionalGids(s);
  }
};

/** WithUsername: uid and gid of a name from /etc/passwd. */
export const withUsername = (name: string): SpecOpt => async (s, ctx) => {
  const p = proc(s);
  p.user.additionalGids = undefined;
  try {
    await ctx.rootfs(async (root) => {
      const u = userFromRoot(root, (x) => x.name === name);
      p.user.uid = u.uid;
      p.user.gid = u.gid;
    });
  } finally {
    ensureAdditionalGids(s);
  }
};

const asInt = (v: string): number | undefined => (/^[+-]?\d+$/.test(v) ? Number(v) >>> 0 : undefined);

/** WithUser: "uid", "name", "uid:gid", "name:group" and mixes, resolved in the rootfs. */
export const withUser = (userstr: string): SpecOpt => async (s, ctx) => {
  const parts = userstr.split(':');
  if (parts.length === 1) {
    const uid = asInt(parts[0]);
    return uid === undefined ? withUsername(userstr)(s, ctx) : withUserID(uid)(s, ctx);
  }
  if (parts.length !== 2) throw new Error(`invalid USER value ${userstr}`);
  const p = proc(s);
  p.user.additionalGids = undefined;
  try {
    let uid = asInt(parts[0]);
    let gid = asInt(parts[1]);
    const username = uid === undefined ? parts[0] : '';
    const groupname = gid === undefined ? parts[1] : '';
    if (!username && !groupname) {
      p.user.uid = uid;
      p.user.gid = gid;
      return;
    }
    await ctx.rootfs(async (root) => {
      if (username) uid = userFromRoot(root, (x) => x.name === username).uid;
      if (groupname) gid = gidFromRoot(root, (g) => g.name === groupname);
      p.user.uid = uid ?? 0;
      p.user.gid = gid ?? 0;
    });
  } finally {
    ensureAdditionalGids(s);
  }
};

/** WithAdditionalGIDs: the user's supplementary groups from /etc/group. */
export const withAdditionalGIDs = (userstr: string): SpecOpt => async (s, ctx) => {
  if (s.windows) return;
  const p = proc(s);
  try {
    await ctx.rootfs(async (root) => {
      let username = userstr;
      const uid = asInt(userstr);
      if (uid !== undefined) {
        try {
          username = userFromRoot(root, (u) => u.uid === uid).name;
        } catch (e) {
          if (isNotExist(e) || e instanceof NoUsersFound) return;
          throw e;
        }
      }
      let gids: number[];
      try {
        gids = supplementalGroups(root, (g) => g.name !== username && g.members.includes(username));
      } catch (e) {
        if (isNotExist(e)) return;
        throw e;
      }
      p.user.additionalGids = [...(p.user.additionalGids ?? []), ...gids];
    });
  } finally {
    ensureAdditionalGids(s);
  }
};

/** WithPrivileged: every current capability, no masked or read-only paths, writable sysfs and cgroupfs, no LSM label, no seccomp. */
export const withPrivileged: SpecOpt = (s) => {
  const all = currentCapabilities();
  const c = caps(s);
  c.bounding = [...all];
  c.effective = [...all];
  c.permitted = [...all];
  const l = linux(s);
  l.maskedPaths = undefined;
  l.readonlyPaths = undefined;
  for (const m of s.mounts ?? []) {
    if (m.type === 'sysfs' || m.type === 'cgroup') m.options = (m.options ?? []).map((o: string) => (o === 'ro' ? 'rw' : o));
  }
  proc(s).selinuxLabel = '';
  proc(s).apparmorProfile = '';
  l.seccomp = undefined;
};

/** WithAllDevicesAllowed. */
export const withAllDevicesAllowed: SpecOpt = (s) => {
  resources(s).devices = [{ allow: true, access: 'rwm' }];
};

/** WithHostDevices: every device node under /dev. */
export const withHostDevices: SpecOpt = (s) => {
  const l = linux(s);
  l.devices = [...(l.devices ?? []), ...hostDevices()];
};

/** WithDevices(path, "", perms): the device (or the devices under a directory) and a cgroup rule for each. */
export const withDevices = (path: string, containerPath: string, permissions: string): SpecOpt => (s) => {
  const l = linux(s);
  const r = resources(s);
  for (const d of devicesAt(path, containerPath)) {
    l.devices = [...(l.devices ?? []), d];
    r.devices = [...(r.devices ?? []), { allow: true, type: d.type, major: d.major, minor: d.minor, access: permissions }];
  }
};

/** WithHostNamespace: leave the host's namespace of that type in place. */
export const withHostNamespace = (type: string): SpecOpt => (s) => {
  const l = linux(s);
  l.namespaces = (l.namespaces ?? []).filter((n: { type: string }) => n.type !== type);
};

/** --net-host: host network, the host's hosts and resolv.conf, and HOSTNAME. */
export const withNetHost: SpecOpt = (s, ctx) => {
  withHostNamespace('network')(s, ctx);
  s.mounts = [
    ...(s.mounts ?? []),
    { destination: '/etc/hosts', type: 'bind', source: '/etc/hosts', options: ['rbind', 'ro'] },
    { destination: '/etc/resolv.conf', type: 'bind', source: '/etc/resolv.conf', options: ['rbind', 'ro'] },
  ];
  return withEnv([`HOSTNAME=${os.hostname()}`])(s, ctx);
};

/** WithAnnotations: merged into the spec's annotations. */
export const withAnnotations = (annotations: Record<string, string>): SpecOpt => (s) => {
  s.annotations = { ...(s.annotations ?? {}), ...annotations };
};

/** WithAddedCapabilities: into the bounding, effective and permitted sets. */
export const withAddedCapabilities = (add: string[]): SpecOpt => (s) => {
  const c = caps(s);
  for (const cap of add) {
    for (const set of ['bounding', 'effective', 'permitted']) {
      c[set] ??= [];
      if (!c[set].includes(cap)) c[set].push(cap);
    }
  }
};

/** WithDroppedCapabilities: out of the bounding, effective and permitted sets. */
export const withDroppedCapabilities = (drop: string[]): SpecOpt => (s) => {
  const c = caps(s);
  for (const cap of drop) {
    for (const set of ['bounding', 'effective', 'permitted']) {
      const left = (c[set] ?? []).filter((x: string) => x !== cap);
      c[set] = left.length ? left : undefined;
    }
  }
};

const cpu = (s: Spec) => (resources(s).cpu ??= {});

/** WithCPUCFS. */
export const withCPUCFS = (quota: number, period: number): SpecOpt => (s) => {
  cpu(s).quota = quota;
  cpu(s).period = period;
};
/** WithCPUShares. */
export const withCPUShares = (shares: number): SpecOpt => (s) => {
  cpu(s).shares = shares;
};
/** WithCPUs (cpuset). */
export const withCPUs = (cpus: string): SpecOpt => (s) => {
  cpu(s).cpus = cpus;
};
/** WithCPUsMems (cpuset memory nodes). */
export const withCPUsMems = (mems: string): SpecOpt => (s) => {
  cpu(s).mems = mems;
};

/** WithMemoryLimit. */
export const withMemoryLimit = (limit: number): SpecOpt => (s) => {
  (resources(s).memory ??= {}).limit = limit;
};

/** WithLinuxNamespace: replace the namespace of that type, or add it. */
export const withLinuxNamespace = (ns: { type: string; path?: string }): SpecOpt => (s) => {
  const l = linux(s);
  l.namespaces ??= [];
  const i = l.namespaces.findIndex((n: { type: string }) => n.type === ns.type);
  if (i >= 0) l.namespaces[i] = ns;
  else l.namespaces.push(ns);
};

/** WithNewPrivileges. */
export const withNewPrivileges: SpecOpt = (s) => {
  proc(s).noNewPrivileges = false;
};

/** WithCgroup ("" disables the cgroup). */
export const withCgroup = (path: string): SpecOpt => (s) => {
  linux(s).cgroupsPath = path;
};

/** --rootfs-propagation. */
export const withRootfsPropagation = (mode: string): SpecOpt => (s) => {
  linux(s).rootfsPropagation = mode;
};

/** WithRdt (only the class ID from ctr). */
export const withRdt = (closID: string): SpecOpt => (s) => {
  linux(s).intelRdt = { closID };
};

/** WithHostname. */
export const withHostname = (name: string): SpecOpt => (s) => {
  s.hostname = name;
};

/** WithApparmorProfile. */
export const withApparmorProfile = (profile: string): SpecOpt => (s) => {
  proc(s).apparmorProfile = profile;
};

/** --rlimit-nofile (ctr 2.3+): set RLIMIT_NOFILE, replacing the default entry. */
export const withRlimit = (type: string, soft: number, hard: number): SpecOpt => (s) => {
  const p = proc(s);
  const list = [...(p.rlimits ?? [])];
  const i = list.findIndex((r: { type: string }) => r.type === type);
  const entry = { type, hard, soft };
  if (i >= 0) list[i] = entry;
  else list.push(entry);
  p.rlimits = list;
};

/** Apply options in order. */
export async function applyOpts(spec: Spec, opts: SpecOpt[], ctx: OptContext): Promise<Spec> {
  for (const o of opts) await o(spec, ctx);
  return spec;
}
