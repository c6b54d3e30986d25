/**
 * --gpus as ctr does it (containerd's NVIDIA option): a hook that runs
 * `containerd oci-hook -- nvidia-container-cli --load-kmods configure ...`
 * when the container is created, so the NVIDIA toolkit mounts the GPUs and
 * driver libraries in. Both programs are looked up in the client's PATH, as
 * Go's exec.LookPath does, and the hook carries the client's environment.
 * ctr 1.6 puts it under prestart; 1.7 and 2.x under createRuntime.
 */
import { firstFileIn } from '../util/find-file';
import type { SpecFlavour } from './spec';
import type { SpecOpt } from './options';

/** Every driver capability ctr asks for (WithAllCapabilities), in ctr's order. */
const ALL_CAPABILITIES = ['compute', 'compat32', 'graphics', 'utility', 'video', 'display'];

/** exec.LookPath: the first executable regular file of that name in PATH (an empty entry is "."). */
export function lookPath(name: string, pathList = process.env.PATH ?? ''): string {
  const found = firstFileIn(pathList.split(':'), name, true);
  if (!found) throw new Error(`exec: ${JSON.stringify(name)}: executable file not found in $PATH`);
  return found;
}

/** --gpus values as ctr's int flag takes them, one index per flag. */
export function parseGpuIndexes(values: string[], line: SpecFlavour['line']): number[] {
  return values.map((v) => {
    if (!/^[+-]?\d+$/.test(String(v).trim())) {
      // The two urfave/cli generations word it differently.
      const parser = line === '2' ? 'strconv.ParseInt' : 'strconv.Atoi';
      throw new Error(`invalid value ${JSON.stringify(String(v))} for flag -gpus: ${parser}: parsing ${JSON.stringify(String(v))}: invalid syntax`);
    }
    return Number(v);
  });
}

/** Whether this release's ctr hooks the toolkit in at createRuntime (1.7+) rather than prestart. */
function usesCreateRuntime(flavour: SpecFlavour): boolean {
  return flavour.line === '2' || flavour.ociVersion !== '1.0.2-dev';
}

/** nvidia.WithGPUs(WithDevices(indexes...), WithAllCapabilities). */
export function withGPUs(indexes: number[], flavour: SpecFlavour): SpecOpt {
  // Looked up when the spec is built, before anything is created: a missing toolkit fails the command first.
  const hookPath = lookPath('containerd');
  const cli = lookPath('nvidia-container-cli');
  const hook = {
    path: hookPath,
    args: [
      'containerd', 'oci-hook', '--', cli, '--load-kmods', 'configure',
      `--device=${indexes.join(',')}`,
      ...ALL_CAPABILITIES.map((c) => `--${c}`),
      '--pid={{pid}}', '{{rootfs}}',
    ],
    env: Object.entries(process.env).map(([k, v]) => `${k}=${v}`),
  };
  return (s) => {
    const hooks = (s.hooks ??= {});
    const kind = usesCreateRuntime(flavour) ? 'createRuntime' : 'prestart';
    hooks[kind] = [...(hooks[kind] ?? []), hook];
  };
}
