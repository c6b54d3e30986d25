/**
 * The spec options ctr's run.NewContainer derives from its flags, in ctr's
 * order (order matters: later options see what earlier ones did, e.g. the
 * seccomp profile reads the capabilities). Bad flag values are rejected here,
 * before anything is created.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ContainerFlagArgs } from '../container-flags';
import { UsageError } from '../errdefs';
import * as o from '../oci/options';
import type { SpecOpt, ImageProcessConfig } from '../oci/options';
import { defaultUnixSpec, type SpecFlavour } from '../oci/spec';
import { defaultSeccompProfile } from '../oci/seccomp';
import type { Spec } from '../oci/spec-json';
import { userNSFromFlags, withUserNamespace } from './userns';
import { blockIOFromFlags } from './blockio';
import { parseGpuIndexes, withGPUs } from '../oci/gpus';

const NAMESPACE_TYPES = new Set(['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup']);

/** ctr's parseMountFlag: "type=bind,src=/a,dst=/b,options=rbind:ro" (a CSV record). */
export function parseMountFlag(text: string): Spec {
  const m: Spec = { destination: '' };
  for (const field of parseCsvRecord(text)) {
    const eq = field.indexOf('=');
    if (eq < 0) throw new UsageError('invalid mount specification: expected key=val');
    const key = field.slice(0, eq);
    const val = field.slice(eq + 1);
    if (key === 'type') m.type = val;
    else if (key === 'source' || key === 'src') m.source = val;
    else if (key === 'destination' || key === 'dst') m.destination = val;
    else if (key === 'options') m.options = val.split(':');
    else throw new UsageError(`mount option ${JSON.stringify(key)} not supported`);
  }
  return m;
}

// Go's encoding/csv for one line: fields split on commas, double quotes group.
function parseCsvRecord(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** ctr's AnnotationArgs: k=v, the first '=' splits; no '=' is an error. */
export function annotationArgs(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) {
    const eq = a.indexOf('=');
    if (eq < 0) throw new UsageError(`invalid key=value format annotation: ${a}`);
    out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

function checkCaps(list: string[] | undefined): string[] {
  for (const c of list ?? []) if (!c.startsWith('CAP_')) throw new UsageError("capabilities must be specified with 'CAP_' prefix");
  return list ?? [];
}

function seccompProfileFile(file: string): SpecOpt {
  let profile: Spec;
  try {
    profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot load seccomp profile ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
  return (s) => {
    (s.linux ??= {}).seccomp = profile;
  };
}

/** --rlimit-nofile: "N" or "soft:hard". */
function parseRlimit(text: string): [number, number] {
  const m = /^(\d+)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid --rlimit-nofile ${JSON.stringify(text)}: want <soft>:<hard> or a number`);
  const soft = Number(m[1]);
  const hard = m[2] === undefined ? soft : Number(m[2]);
  if (soft > hard) throw new UsageError(`invalid --rlimit-nofile ${JSON.stringify(text)}: soft limit above hard limit`);
  return [soft, hard];
}

/** Flags ctrx takes but cannot act on here: a plain error instead of a silent difference. */
function rejectUnsupported(f: ContainerFlagArgs): void {
  const unsupported: [boolean, string][] = [
    [!!f['apparmor-default-profile'], apparmorReason()],
  ];
  for (const [bad, why] of unsupported) if (bad) throw new UsageError(why);
}

// Why --apparmor-default-profile cannot be honoured here.
function apparmorReason(): string {
  const profiles = '/sys/kernel/security/apparmor/profiles';
  if (!fs.existsSync(profiles)) return `--apparmor-default-profile: AppArmor is not enabled on this host (${profiles}: no such file or directory)`;
  return '--apparmor-default-profile needs AppArmor profile generation, which ctrx does not do; load a profile and use --apparmor-profile';
}

/** Inputs for the spec besides the flags. */
export interface SpecInputs {
  flavour: SpecFlavour;
  namespace: string;
  id: string;
  /** Process args from the command line (replace the image's entrypoint and cmd). */
  args: string[];
  /** The image config's process part, when made from an image. */
  image?: ImageProcessConfig;
  /** The --rootfs directory (absolute). */
  rootfsDir?: string;
}

/** The spec options for a container, from ctr's flags. */
export function specOptsFromFlags(f: ContainerFlagArgs, inp: SpecInputs): { base: () => Spec; opts: SpecOpt[] } {
  const labels = labelArgs(f.label);
  if (f.config) {
    let fromFile: Spec;
    try {
      fromFile = JSON.parse(fs.readFileSync(f.config, 'utf8'));
    } catch (e) {
      throw new Error(`decoding spec config file failed: ${(e as Error).message}`);
    }
    return { base: () => fromFile, opts: [o.withAnnotations(labels)] };
  }
  rejectUnsupported(f);
  const opts: SpecOpt[] = [o.withDefaultUnixDevices];
  if (f['env-file']) opts.push(o.withEnvFile(f['env-file']));
  opts.push(o.withEnv(f.env ?? []));
  opts.push(o.withMounts((f.mount ?? []).map(parseMountFlag)));
  if (inp.rootfsDir) opts.push(o.withRootfsPath(inp.rootfsDir));
  else if (inp.image) {
    opts.push(o.withImageConfig(inp.image));
    // Only for images, as in ctr (a --rootfs directory is not shifted).
    const userns = userNSFromFlags(f);
    if (userns) opts.push(withUserNamespace(userns));
  }
  if (f['read-only']) opts.push(o.withRootfsReadonly);
  if (inp.args.length) opts.push(o.withProcessArgs(inp.args));
  if (f.cwd) opts.push(o.withProcessCwd(f.cwd));
  if (f.user) opts.push(o.withUser(f.user), o.withAdditionalGIDs(f.user));
  if (f.tty) opts.push(o.withTTY);
  if (f['privileged-without-host-devices'] && !f.privileged) throw new UsageError("can't use 'privileged-without-host-devices' without 'privileged' specified");
  if (f.privileged) {
    opts.push(o.withPrivileged);
    if (!f['privileged-without-host-devices']) opts.push(o.withAllDevicesAllowed, o.withHostDevices);
  }
  if (f['net-host']) opts.push(o.withNetHost);
  if (f.annotation?.length) opts.push(o.withAnnotations(annotationArgs(f.annotation)));
  const add = checkCaps(f['cap-add']);
  if (add.length) opts.push(o.withAddedCapabilities(add));
  const drop = checkCaps(f['cap-drop']);
  if (drop.length) opts.push(o.withDroppedCapabilities(drop));
  if (!f.seccomp && f['seccomp-profile']) throw new UsageError('seccomp must be set to true, if using a custom seccomp-profile');
  if (f.seccomp) {
    if (f['seccomp-profile']) opts.push(seccompProfileFile(f['seccomp-profile']));
    else opts.push((s) => void ((s.linux ??= {}).seccomp = defaultSeccompProfile(s, inp.flavour.line)));
  }
  if (f['apparmor-profile']) opts.push(o.withApparmorProfile(f['apparmor-profile']));
  const cpus = f.cpus ?? 0;
  if (cpus > 0) opts.push(o.withCPUCFS(Math.trunc(cpus * 100000), 100000));
  if (f['cpuset-cpus']) opts.push(o.withCPUs(f['cpuset-cpus']));
  if (f['cpuset-mems']) opts.push(o.withCPUsMems(f['cpuset-mems']));
  if ((f['cpu-shares'] ?? 0) > 0) opts.push(o.withCPUShares(f['cpu-shares']!));
  const quota = f['cpu-quota'] ?? -1;
  const period = f['cpu-period'] ?? 0;
  if (quota !== -1 || period !== 0) {
    if (cpus > 0) throw new UsageError('cpus and quota/period should be used separately');
    opts.push(o.withCPUCFS(quota, period));
  }
  for (const ns of f['with-ns'] ?? []) {
    const colon = ns.indexOf(':');
    if (colon < 0) throw new UsageError("joining a Linux namespace using --with-ns requires the format 'nstype:path'");
    const type = ns.slice(0, colon);
    if (!NAMESPACE_TYPES.has(type)) throw new UsageError(`the Linux namespace type specified in --with-ns is not valid: ${type}`);
    opts.push(o.withLinuxNamespace({ type, path: ns.slice(colon + 1) }));
  }
  if (f['allow-new-privs']) opts.push(o.withNewPrivileges);
  if (f.cgroup !== undefined) opts.push(o.withCgroup(f.cgroup));
  if (f['memory-limit']) opts.push(o.withMemoryLimit(f['memory-limit']));
  for (const dev of f.device ?? []) opts.push(o.withDevices(dev, '', 'rwm'));
  if (f['rootfs-propagation']) opts.push(o.withRootfsPropagation(f['rootfs-propagation']));
  if (f['rdt-class']) opts.push(o.withRdt(f['rdt-class']));
  if (f.gpus?.length) opts.push(withGPUs(parseGpuIndexes(f.gpus, inp.flavour.line), inp.flavour));
  const blockIO = blockIOFromFlags(f);
  if (blockIO) opts.push(blockIO);
  if (f.hostname) opts.push(o.withHostname(f.hostname));
  if (f['rlimit-nofile']) {
    const [soft, hard] = parseRlimit(f['rlimit-nofile']);
    opts.push(o.withRlimit('RLIMIT_NOFILE', soft, hard));
  }
  opts.push(o.withAnnotations(labels));
  return { base: () => defaultUnixSpec(inp.flavour, inp.namespace, inp.id), opts };
}

/** ctr's LabelArgs. */
export function labelArgs(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) {
    const eq = a.indexOf('=');
    if (eq < 0) out[a] = '';
    else out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

/** The --rootfs directory as ctr takes it (filepath.Abs). */
export const absRootfs = (p: string) => path.resolve(p);
