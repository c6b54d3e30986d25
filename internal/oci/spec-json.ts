/**
 * The OCI runtime spec as containerd's Go client writes it: the same key order
 * as the runtime-spec Go structs and the same omitempty rules, so the JSON
 * ctrx stores is the JSON ctr would store for the same container.
 */

/** A spec as a plain JSON object (loosely typed: options touch any part of it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Spec = Record<string, any>;

// How a field is written: 'v' a value with omitempty (dropped when zero), 'k'
// always kept (no omitempty), 'p' a pointer with omitempty (dropped only when
// unset), then the struct type of its elements if it has one.
type Field = [key: string, mode: 'v' | 'k' | 'p', type?: string];

// Field order of the runtime-spec structs (specs-go/config.go), 1.0.2 to 1.2.1.
const STRUCTS: Record<string, Field[]> = {
  Spec: [['ociVersion', 'k'], ['process', 'p', 'Process'], ['root', 'p', 'Root'], ['hostname', 'v'], ['domainname', 'v'], ['mounts', 'v', 'Mount'], ['hooks', 'p', 'Hooks'], ['annotations', 'v', 'Map'], ['linux', 'p', 'Linux'], ['solaris', 'p'], ['windows', 'p', 'Windows'], ['vm', 'p'], ['zos', 'p']],
  Process: [['terminal', 'v'], ['consoleSize', 'p', 'Box'], ['user', 'k', 'User'], ['args', 'v'], ['commandLine', 'v'], ['env', 'v'], ['cwd', 'k'], ['capabilities', 'p', 'Caps'], ['rlimits', 'v', 'Rlimit'], ['noNewPrivileges', 'v'], ['apparmorProfile', 'v'], ['oomScoreAdj', 'p'], ['scheduler', 'p'], ['selinuxLabel', 'v'], ['ioPriority', 'p'], ['execCPUAffinity', 'p']],
  Box: [['height', 'k'], ['width', 'k']],
  User: [['uid', 'k'], ['gid', 'k'], ['umask', 'p'], ['additionalGids', 'v'], ['username', 'v']],
  Caps: [['bounding', 'v'], ['effective', 'v'], ['inheritable', 'v'], ['permitted', 'v'], ['ambient', 'v']],
  Rlimit: [['type', 'k'], ['hard', 'k'], ['soft', 'k']],
  Root: [['path', 'k'], ['readonly', 'v']],
  Mount: [['destination', 'k'], ['type', 'v'], ['source', 'v'], ['options', 'v'], ['uidMappings', 'v', 'IDMap'], ['gidMappings', 'v', 'IDMap']],
  IDMap: [['containerID', 'k'], ['hostID', 'k'], ['size', 'k']],
  Hooks: [['prestart', 'v', 'Hook'], ['createRuntime', 'v', 'Hook'], ['createContainer', 'v', 'Hook'], ['startContainer', 'v', 'Hook'], ['poststart', 'v', 'Hook'], ['poststop', 'v', 'Hook']],
  Hook: [['path', 'k'], ['args', 'v'], ['env', 'v'], ['timeout', 'p']],
  Linux: [['uidMappings', 'v', 'IDMap'], ['gidMappings', 'v', 'IDMap'], ['sysctl', 'v', 'Map'], ['resources', 'p', 'Resources'], ['cgroupsPath', 'v'], ['namespaces', 'v', 'Namespace'], ['devices', 'v', 'Device'], ['seccomp', 'p', 'Seccomp'], ['rootfsPropagation', 'v'], ['maskedPaths', 'v'], ['readonlyPaths', 'v'], ['mountLabel', 'v'], ['intelRdt', 'p', 'IntelRdt'], ['personality', 'p'], ['timeOffsets', 'v']],
  Resources: [['devices', 'v', 'DeviceCgroup'], ['memory', 'p', 'Memory'], ['cpu', 'p', 'CPU'], ['pids', 'p'], ['blockIO', 'p'], ['hugepageLimits', 'v'], ['network', 'p'], ['rdma', 'v'], ['unified', 'v', 'Map']],
  DeviceCgroup: [['allow', 'k'], ['type', 'v'], ['major', 'p'], ['minor', 'p'], ['access', 'v']],
  Memory: [['limit', 'p'], ['reservation', 'p'], ['swap', 'p'], ['kernel', 'p'], ['kernelTCP', 'p'], ['swappiness', 'p'], ['disableOOMKiller', 'p'], ['useHierarchy', 'p'], ['checkBeforeUpdate', 'p']],
  CPU: [['shares', 'p'], ['quota', 'p'], ['burst', 'p'], ['period', 'p'], ['realtimeRuntime', 'p'], ['realtimePeriod', 'p'], ['cpus', 'v'], ['mems', 'v'], ['idle', 'p']],
  Namespace: [['type', 'k'], ['path', 'v']],
  Device: [['path', 'k'], ['type', 'k'], ['major', 'k'], ['minor', 'k'], ['fileMode', 'p'], ['uid', 'p'], ['gid', 'p']],
  Seccomp: [['defaultAction', 'k'], ['defaultErrnoRet', 'p'], ['architectures', 'v'], ['flags', 'v'], ['listenerPath', 'v'], ['listenerMetadata', 'v'], ['syscalls', 'v', 'Syscall']],
  Syscall: [['names', 'k'], ['action', 'k'], ['errnoRet', 'p'], ['args', 'v', 'SeccompArg']],
  SeccompArg: [['index', 'k'], ['value', 'k'], ['valueTwo', 'v'], ['op', 'k']],
  IntelRdt: [['closID', 'v'], ['l3CacheSchema', 'v'], ['memBwSchema', 'v'], ['schemata', 'v'], ['enableCMT', 'v'], ['enableMBM', 'v']],
  Windows: [['layerFolders', 'k'], ['devices', 'v'], ['resources', 'p'], ['credentialSpec', 'v'], ['servicing', 'v'], ['ignoreFlushesDuringBoot', 'v'], ['hyperv', 'p'], ['network', 'p']],
};

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function canon(v: unknown, type?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => canon(x, type));
  if (!type || v === null || typeof v !== 'object') return v;
  if (type === 'Map') {
    // Go writes map keys sorted.
    const m = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
  }
  const fields = STRUCTS[type];
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, mode, sub] of fields) {
    const x = src[key];
    if (mode === 'p' && (x === undefined || x === null)) continue;
    if (mode === 'v' && isZero(x)) continue;
    if (mode === 'k' && x === undefined) continue; // options always set these; nothing to invent
    out[key] = canon(x, sub);
  }
  // Fields this table does not know (a newer spec, a --config file) stay, after the known ones.
  for (const key of Object.keys(src)) if (!(key in out) && !fields.some((f) => f[0] === key)) out[key] = src[key];
  return out;
}

/** The spec with Go's field order and omitempty applied: what json.Marshal(specs.Spec) gives. */
export function canonicalSpec(spec: Spec): Spec {
  return canon(spec, 'Spec') as Spec;
}

/** A process spec (Tasks.Exec) with Go's field order and omitempty. */
export function canonicalProcess(p: Spec): Spec {
  return canon(p, 'Process') as Spec;
}
