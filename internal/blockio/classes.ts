/**
 * blockio classes from a goresctrl config file, each turned into the OCI
 * linux.resources.blockIO that ctr 2.x puts into a spec for --blockio-class.
 *
 * Within a class, entries apply in order: an entry without Devices sets the
 * class weight (a later one wins); an entry with Devices sets each matching
 * device's weight and throttles, replacing that device's earlier values in
 * place. Bad values fail the whole file (as in ctr); devices that match
 * nothing or cannot be used are only warnings.
 */
import * as fs from 'fs';
import { decodeConfig, GoJSONTypeError, type DevicesParameters } from './config';
import { ioSchedulers, resolveBlockDevices } from './devices';
import { parseGoYaml, YamlSyntaxError } from './go-yaml';
import { errnoText, goList, goQuote, multiError } from './go-text';
import { quantityValue, QuantityError } from './quantity';

/** One device's weight or rate in the spec. */
export interface DeviceValue {
  major: number;
  minor: number;
  weight?: number;
  rate?: number;
}

/** specs.LinuxBlockIO as JSON, fields in the runtime-spec's order, empty lists left out. */
export interface LinuxBlockIO {
  weight?: number;
  weightDevice?: DeviceValue[];
  throttleReadBpsDevice?: DeviceValue[];
  throttleWriteBpsDevice?: DeviceValue[];
  throttleReadIOPSDevice?: DeviceValue[];
  throttleWriteIOPSDevice?: DeviceValue[];
}

/** The classes of a file and the warnings met while reading it. */
export interface LoadedClasses {
  classes: Map<string, LinuxBlockIO>;
  warnings: string[];
}

const LISTS = ['weightDevice', 'throttleReadBpsDevice', 'throttleWriteBpsDevice', 'throttleReadIOPSDevice', 'throttleWriteIOPSDevice'] as const;
type ListName = (typeof LISTS)[number];

// goresctrl's parseAndValidateQuantity: -1 when not set, else a quantity within [min, max].
function quantity(field: string, text: string, min: number, max: number | undefined, errs: string[]): bigint {
  if (text === '') return -1n;
  let v: bigint;
  try {
    v = quantityValue(text);
  } catch (e) {
    if (!(e instanceof QuantityError)) throw e;
    errs.push(`syntax error in ${goQuote(field)} (${goQuote(text)})`);
    return -1n;
  }
  if (v < BigInt(min)) {
    errs.push(`value of ${goQuote(field)} (${v}) smaller than minimum (${min})`);
    return -1n;
  }
  if (max !== undefined && v > BigInt(max)) {
    errs.push(`value of ${goQuote(field)} (${v}) bigger than maximum (${max})`);
    return -1n;
  }
  return v;
}

// OciDeviceWeights/Rates.Update: replace the device's value where it is, else append.
function update(list: DeviceValue[], key: 'weight' | 'rate', major: number, minor: number, value: bigint): void {
  // Rates past 2^53 lose precision here: the spec is written from JS numbers.
  const v = Number(value);
  const at = list.find((d) => d.major === major && d.minor === minor);
  if (at) at[key] = v;
  else list.push({ major, minor, [key]: v });
}

function classBlockIO(entries: DevicesParameters[], schedulers: Map<string, string>, warnings: string[], errs: string[]): LinuxBlockIO {
  let weight = -1n;
  const lists: Record<ListName, DeviceValue[]> = { weightDevice: [], throttleReadBpsDevice: [], throttleWriteBpsDevice: [], throttleReadIOPSDevice: [], throttleWriteIOPSDevice: [] };
  for (const e of entries) {
    const w = quantity('Weight', e.Weight, 10, 1000, errs);
    const rates: [ListName, bigint][] = [
      ['throttleReadBpsDevice', quantity('ThrottleReadBps', e.ThrottleReadBps, 0, undefined, errs)],
      ['throttleWriteBpsDevice', quantity('ThrottleWriteBps', e.ThrottleWriteBps, 0, undefined, errs)],
      ['throttleReadIOPSDevice', quantity('ThrottleReadIOPS', e.ThrottleReadIOPS, 0, undefined, errs)],
      ['throttleWriteIOPSDevice', quantity('ThrottleWriteIOPS', e.ThrottleWriteIOPS, 0, undefined, errs)],
    ];
    if (e.Devices === null) {
      if (w > -1n) weight = w;
      if (rates.some(([, r]) => r > -1n)) {
        const [rb, wb, ri, wi] = [e.ThrottleReadBps, e.ThrottleWriteBps, e.ThrottleReadIOPS, e.ThrottleWriteIOPS].map(goQuote);
        errs.push(`ignoring throttling (rbps=${rb} wbps=${wb} riops=${ri} wiops=${wi}): Devices not listed`);
      }
      continue;
    }
    const { devices, problems } = resolveBlockDevices(e.Devices);
    if (problems.length) warnings.push(multiError(problems));
    if (devices.length === 0) warnings.push(`no matches on any of Devices: ${goList(e.Devices)}, parameters ignored`);
    for (const d of devices) {
      if (w !== -1n) {
        const sched = schedulers.get(d.node);
        if (sched !== undefined && sched !== 'bfq' && sched !== 'cfq') {
          warnings.push(`weight has no effect on device ${goQuote(d.node)} due to incompatible I/O scheduler ${goQuote(sched)} (bfq or cfq required)`);
        }
        update(lists.weightDevice, 'weight', d.major, d.minor, w);
      }
      for (const [name, r] of rates) if (r !== -1n) update(lists[name], 'rate', d.major, d.minor, r);
    }
  }
  const out: LinuxBlockIO = {};
  if (weight !== -1n) out.weight = Number(weight);
  for (const name of LISTS) if (lists[name].length) out[name] = lists[name];
  return out;
}

/**
 * goresctrl's SetConfigFromFile: the classes defined in file. Throws with
 * ctr's text after "blockio-config-file error: " when the file cannot be read
 * or holds a bad value.
 */
export function loadBlockIOClasses(file: string): LoadedClasses {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const op = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open';
    throw new Error(`failed to read config file ${goQuote(file)}: ${op} ${file}: ${errnoText(e)}`);
  }
  const fail = (why: string) => new Error(`failed to set configuration from file ${goQuote(file)}: ${why}`);
  let config;
  try {
    config = decodeConfig(parseGoYaml(text));
  } catch (e) {
    if (!(e instanceof GoJSONTypeError || e instanceof YamlSyntaxError)) throw e;
    const stage = e instanceof GoJSONTypeError ? 'error unmarshaling JSON: while decoding JSON' : 'error converting YAML to JSON';
    throw fail(`${stage}: ${(e as Error).message}`);
  }
  const warnings: string[] = [];
  const classes = new Map<string, LinuxBlockIO>();
  if (!config) return { classes, warnings };
  const schedulers = ioSchedulers();
  for (const [name, entries] of config) {
    const errs: string[] = [];
    const b = classBlockIO(entries, schedulers, warnings, errs);
    if (errs.length) throw fail(multiError(errs));
    classes.set(name, b);
  }
  return { classes, warnings };
}
