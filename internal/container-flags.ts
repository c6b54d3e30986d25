/**
 * ctr's shared flag groups for commands that make containers (`run`,
 * `containers create`): ContainerFlags, RuntimeFlags, the snapshotter flags and
 * run's own, as data, so the builders, the parsed-args types and the
 * argument pre-scan that stops flag parsing at the first positional all agree.
 * ctrx accepts the union of 1.6's and 2.x's flags on every daemon.
 */
import type { Argv, Options } from 'yargs';

type FlagSpec = Options & { describe: string };

const str = (describe: string, extra: Partial<Options> = {}): FlagSpec => ({ type: 'string', describe, ...extra });
const list = (describe: string, extra: Partial<Options> = {}): FlagSpec => ({ type: 'string', array: true, describe, ...extra });
const bool = (describe: string, extra: Partial<Options> = {}): FlagSpec => ({ type: 'boolean', default: false, describe, ...extra });
const num = (describe: string, def: number | undefined, extra: Partial<Options> = {}): FlagSpec => ({ type: 'number', default: def, describe, ...extra });

/** `--snapshotter` and `--snapshotter-label`. */
export const SNAPSHOTTER_FLAGS: Record<string, FlagSpec> = {
  snapshotter: str('Snapshotter name. Empty value stands for the default value.', { default: process.env.CONTAINERD_SNAPSHOTTER ?? '', defaultDescription: 'env $CONTAINERD_SNAPSHOTTER' }),
  'snapshotter-label': list('Labels added to the new snapshot for this container.'),
};

/** RuntimeFlags (2.x; part of 1.6's container and run flags). */
export const RUNTIME_FLAGS: Record<string, FlagSpec> = {
  runtime: str('Runtime name or absolute path to runtime binary', { default: 'io.containerd.runc.v2' }),
  'runtime-config-path': str('Optional runtime config path'),
  'runc-binary': str('Specify runc-compatible binary'),
  'runc-root': str('Specify runc-compatible root'),
  'runc-systemd-cgroup': bool('Start runc with systemd cgroup manager'),
};

/** ContainerFlags, with the unix additions. */
export const CONTAINER_FLAGS: Record<string, FlagSpec> = {
  config: str('Path to the runtime-specific spec config file', { alias: 'c' }),
  cwd: str('Specify the working directory of the process'),
  env: list('Specify additional container environment variables (e.g. FOO=bar)'),
  'env-file': str('Specify additional container environment variables in a file(e.g. FOO=bar, one per line)'),
  label: list('Specify additional labels (e.g. foo=bar)'),
  annotation: list('Specify additional OCI annotations (e.g. foo=bar)'),
  mount: list("Specify additional container mount (e.g. type=bind,src=/tmp,dst=/host,options=rbind:ro)"),
  'net-host': bool('Enable host networking for the container'),
  privileged: bool('Run privileged container'),
  'read-only': bool('Set the containers filesystem as readonly'),
  sandbox: str('Create the container in the given sandbox'),
  tty: bool('Allocate a TTY for the container', { alias: 't' }),
  'with-ns': list('Specify existing Linux namespaces to join at container runtime (format \'<nstype>:<path>\')'),
  'pid-file': str('File path to write the task\'s pid'),
  gpus: { type: 'string', array: true, describe: 'Add gpus to the container' },
  'allow-new-privs': bool('Turn off OCI spec\'s NoNewPrivileges feature flag'),
  'memory-limit': num('Memory limit (in bytes) for the container', 0),
  'cap-add': list('Add Linux capabilities (Set capabilities with \'CAP_\' prefix)'),
  'cap-drop': list('Drop Linux capabilities (Set capabilities with \'CAP_\' prefix)'),
  seccomp: bool('Enable the default seccomp profile'),
  'seccomp-profile': str('File path to custom seccomp profile. seccomp must be set to true, before using seccomp-profile'),
  'apparmor-default-profile': str('Enable AppArmor with the default profile with the specified name, e.g. "cri-containerd.apparmor.d"'),
  'apparmor-profile': str('Enable AppArmor with an existing custom profile'),
  'blockio-config-file': str('File path to blockio class definitions. By default class definitions are not loaded.'),
  'blockio-class': str('Name of the blockio class to associate the container with'),
  'rdt-class': str('Name of the RDT class to associate the container with. Specifies a Class of Service (CLOS) for cache and memory bandwidth management.'),
  hostname: str('Set the container\'s host name'),
  user: str('Username or user id, group optional (format: <name|uid>[:<group|gid>])', { alias: 'u' }),
  rootfs: bool('Use custom rootfs that is not managed by containerd snapshotter'),
  'no-pivot': bool('Disable use of pivot-root (linux only)'),
  'cpu-quota': num('Limit CPU CFS quota', -1),
  'cpu-period': num('Limit CPU CFS period', 0),
  'rootfs-propagation': str('Set the propagation of the container rootfs'),
  device: list('File path to a device to add to the container; or a path to a directory tree of devices to add to the container'),
};

/** run's own flags (platformRunFlags and the common ones). */
export const RUN_FLAGS: Record<string, FlagSpec> = {
  rm: bool('Remove the container after running, cannot be used with --detach'),
  'null-io': bool('Send all IO to /dev/null'),
  'log-uri': str('Log uri'),
  detach: bool('Detach from the task after it has started execution, cannot be used with --rm', { alias: 'd' }),
  'fifo-dir': str('Directory used for storing IO FIFOs'),
  cgroup: str('Cgroup path (To disable use of cgroup, set to "" explicitly)'),
  platform: str('Run image for specific platform'),
  cni: bool('Enable cni networking for the container'),
  'sync-fs': bool('Synchronize the underlying filesystem containing files when unpack images, false by default'),
  uidmap: list('Run inside a user namespace with the specified UID mapping range; specified with the format `container-uid:host-uid:length`'),
  gidmap: list('Run inside a user namespace with the specified GID mapping range; specified with the format `container-gid:host-gid:length`'),
  'remap-labels': bool('Provide the user namespace ID remapping to the snapshotter via label options; requires snapshotter support'),
  'privileged-without-host-devices': bool("Don't pass all host devices to privileged container"),
  cpus: num('Set the CFS cpu quota', 0),
  'cpu-shares': num('Set the cpu shares', 1024),
  'cpuset-cpus': str('Set the CPUs the container will run in (e.g., 1-2,4)'),
  'cpuset-mems': str('Set the memory nodes the container will run in (e.g., 1-2,4)'),
  'dump-config': str('Dump the generated OCI config to a file'),
  'rlimit-nofile': str('Set RLIMIT_NOFILE (soft:hard)'),
};

/** Parsed values of the container-making flags. */
export interface ContainerFlagArgs {
  config?: string;
  cwd?: string;
  env?: string[];
  'env-file'?: string;
  label?: string[];
  annotation?: string[];
  mount?: string[];
  'net-host': boolean;
  privileged: boolean;
  'read-only': boolean;
  sandbox?: string;
  tty: boolean;
  'with-ns'?: string[];
  'pid-file'?: string;
  gpus?: string[];
  'allow-new-privs': boolean;
  'memory-limit': number;
  'cap-add'?: string[];
  'cap-drop'?: string[];
  seccomp: boolean;
  'seccomp-profile'?: string;
  'apparmor-default-profile'?: string;
  'apparmor-profile'?: string;
  'blockio-config-file'?: string;
  'blockio-class'?: string;
  'rdt-class'?: string;
  hostname?: string;
  user?: string;
  rootfs: boolean;
  'no-pivot': boolean;
  'cpu-quota': number;
  'cpu-period': number;
  'rootfs-propagation'?: string;
  device?: string[];
  runtime: string;
  'runtime-config-path'?: string;
  'runc-binary'?: string;
  'runc-root'?: string;
  'runc-systemd-cgroup': boolean;
  snapshotter: string;
  'snapshotter-label'?: string[];
  // run only (absent on `containers create`)
  rm?: boolean;
  'null-io'?: boolean;
  'log-uri'?: string;
  detach?: boolean;
  'fifo-dir'?: string;
  cgroup?: string;
  platform?: string;
  cni?: boolean;
  'sync-fs'?: boolean;
  uidmap?: string[];
  gidmap?: string[];
  'remap-labels'?: boolean;
  'privileged-without-host-devices'?: boolean;
  cpus?: number;
  'cpu-shares'?: number;
  'cpuset-cpus'?: string;
  'cpuset-mems'?: string;
  'dump-config'?: string;
  'rlimit-nofile'?: string;
}

function addFlags<T>(y: Argv<T>, flags: Record<string, FlagSpec>): Argv<T> {
  let out = y;
  for (const [name, spec] of Object.entries(flags)) out = out.option(name, spec);
  return out;
}

/**
 * yargs renders a command's whole help text right after starting its handler,
 * in case the handler asks for it; with ~75 flags that is tens of
 * milliseconds of CPU on the critical path of every run. The text is still
 * made on demand for --help and usage errors.
 */
export function skipHelpCache<T>(y: Argv<T>): Argv<T> {
  const usage = (y as unknown as { getInternalMethods?: () => { getUsageInstance: () => { cacheHelpMessage: () => void } } }).getInternalMethods?.().getUsageInstance();
  if (usage) usage.cacheHelpMessage = () => undefined;
  return y;
}

/** `containers create`'s flags: RuntimeFlags, SnapshotterFlags, ContainerFlags. */
export function withContainerFlags<T>(y: Argv<T>): Argv<T> {
  skipHelpCache(y);
  return addFlags(addFlags(addFlags(y, RUNTIME_FLAGS), SNAPSHOTTER_FLAGS), CONTAINER_FLAGS);
}

/** `run`'s flags: its own, then the container-making ones. */
export function withRunFlags<T>(y: Argv<T>): Argv<T> {
  return withContainerFlags(addFlags(y, RUN_FLAGS));
}

/** `tasks exec`'s flags take values too; listed here for the pre-scan. */
const EXEC_VALUE_FLAGS = ['cwd', 'exec-id', 'fifo-dir', 'log-uri', 'user', 'env'];
// Global flags that take a value (ctr's and ctrx's own).
const GLOBAL_VALUE_FLAGS = ['address', 'a', 'namespace', 'n', 'timeout', 'connect-timeout', 'lease', 'trace-format'];

function valueFlags(): Set<string> {
  const out = new Set<string>([...GLOBAL_VALUE_FLAGS, ...EXEC_VALUE_FLAGS]);
  for (const group of [RUN_FLAGS, CONTAINER_FLAGS, RUNTIME_FLAGS, SNAPSHOTTER_FLAGS]) {
    for (const [name, spec] of Object.entries(group)) {
      if (spec.type === 'boolean') continue;
      out.add(name);
      if (typeof spec.alias === 'string') out.add(spec.alias);
    }
  }
  return out;
}

const GROUP_WORDS: Record<string, string[]> = {
  create: ['containers', 'container', 'c'],
  exec: ['tasks', 'task', 't'],
};

/**
 * `run`, `containers create` and `tasks exec` stop reading flags at the first
 * positional argument, as ctr 2.x does (and 1.x for run and exec), so that
 * `run IMG ID sh -c date` passes `-c date` to sh. yargs cannot halt there by
 * itself, so a `--` goes in front of that argument before parsing.
 */
export function haltAtFirstPositional(args: readonly string[]): string[] {
  const values = valueFlags();
  const takesValue = (tok: string) => {
    if (tok.includes('=')) return false;
    const name = tok.replace(/^--?/, '');
    if (tok.startsWith('--')) return values.has(name);
    // A short cluster (-dt) takes a value only if its last letter does.
    return values.has(name.slice(-1));
  };
  let i = 0;
  const out = [...args];
  // Global flags before the command word. Their short forms are spelled out, since
  // a command may use the same letter for its own flag (tasks kill -a is --all).
  while (i < out.length && out[i].startsWith('-') && out[i] !== '--') {
    if (out[i] === '-a') out[i] = '--address';
    else if (out[i] === '-n') out[i] = '--namespace';
    i += takesValue(out[i]) ? 2 : 1;
  }
  args = out;
  const word = args[i];
  // tasks kill's -a is --all, while -a is --address everywhere else: spelled out here.
  if (GROUP_WORDS.exec.includes(word) && args[i + 1] === 'kill') {
    return args.map((a, j) => (j > i + 1 && a === '-a' && !args.slice(i + 2, j).includes('--') ? '--all' : a));
  }
  let start: number;
  if (word === 'run') start = i + 1;
  else if (GROUP_WORDS.create.includes(word) && args[i + 1] === 'create') start = i + 2;
  else if (GROUP_WORDS.exec.includes(word) && args[i + 1] === 'exec') start = i + 2;
  else return [...args];
  for (let j = start; j < args.length; j++) {
    const tok = args[j];
    if (tok === '--') return [...args];
    if (tok.startsWith('-') && tok !== '-') {
      if (takesValue(tok)) j++;
      continue;
    }
    return [...args.slice(0, j), '--', ...args.slice(j)];
  }
  return [...args];
}
