/**
 * --blockio-config-file and --blockio-class of run / containers create, as
 * ctr 2.x has them: the file's classes are loaded (its warnings go to
 * stderr), and the class named becomes the spec's linux.resources.blockIO.
 * The spec is built here, so this works against containerd 1.6 too.
 */
import type { ContainerFlagArgs } from '../container-flags';
import { loadBlockIOClasses, type LinuxBlockIO } from '../blockio/classes';
import { goQuote } from '../blockio/go-text';
import type { SpecOpt } from '../oci/options';

/** oci.WithBlockIO: set linux.resources.blockIO. */
export const withBlockIO =
  (b: LinuxBlockIO): SpecOpt =>
  (s) => {
    ((s.linux ??= {}).resources ??= {}).blockIO = structuredClone(b);
  };

/** The spec option for the blockio flags (undefined without --blockio-class); throws ctr's errors. */
export function blockIOFromFlags(f: ContainerFlagArgs): SpecOpt | undefined {
  const file = f['blockio-config-file'];
  const name = f['blockio-class'];
  let classes = new Map<string, LinuxBlockIO>();
  if (file) {
    let warnings: string[];
    try {
      ({ classes, warnings } = loadBlockIOClasses(file));
    } catch (e) {
      throw new Error(`blockio-config-file error: ${(e as Error).message}`);
    }
    for (const w of warnings) process.stderr.write(`ctrx: warning: blockio: ${w}\n`);
  }
  if (!name) return undefined;
  const b = classes.get(name);
  // Without a file no class is defined, as in ctr.
  if (!b) throw new Error(`blockio-class error: no OCI BlockIO parameters for class ${goQuote(name)}`);
  return withBlockIO(b);
}
