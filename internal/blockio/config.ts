/**
 * goresctrl's blockio configuration, decoded from a YAML value with Go's
 * encoding/json rules as sigs.k8s.io/yaml applies them: object keys in sorted
 * order, field names matched case-insensitively, unknown keys ignored, null
 * leaving the zero value, YAML numbers and booleans written as text where a
 * string is wanted, and the first type mismatch reported the way Go words it.
 */
import { formatFloat32, type GoValue } from './go-yaml';

/** One entry of a class: parameters for a set of devices, or (no Devices) the class default weight. */
export interface DevicesParameters {
  /** null when not given (which is not the same as an empty list). */
  Devices: string[] | null;
  ThrottleReadBps: string;
  ThrottleWriteBps: string;
  ThrottleReadIOPS: string;
  ThrottleWriteIOPS: string;
  Weight: string;
}

/** The classes of a config, sorted by name. */
export type BlockIOConfig = [name: string, entries: DevicesParameters[]][];

const FIELDS = ['Devices', 'ThrottleReadBps', 'ThrottleWriteBps', 'ThrottleReadIOPS', 'ThrottleWriteIOPS', 'Weight'] as const;

/** A value of the wrong JSON type for its place, in Go's words. */
export class GoJSONTypeError extends Error {}

// A path element: a key (struct field or map key) or a list index.
type Step = string | number;

function jsonKind(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'object';
  return 'number';
}

function typeError(v: GoValue, at: Step[], goType: string): GoJSONTypeError {
  const where = at.map((s) => `.${s}`).join('');
  // Go names a struct field's path as such; a list element's path goes bare.
  const into = at.length === 0 ? 'Go value' : typeof at[at.length - 1] === 'number' ? where : `Go struct field ${where}`;
  return new GoJSONTypeError(`json: cannot unmarshal ${jsonKind(v)} into ${into} of type ${goType}`);
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const sortedEntries = (m: Map<string, GoValue>) => [...m.entries()].sort((a, b) => byteOrder(a[0], b[0]));

function asString(v: GoValue, at: Step[]): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'int' in v) return v.int.toString();
  if (typeof v === 'object' && 'float' in v) return formatFloat32(v.float);
  throw typeError(v, at, 'string');
}

function asList<T>(v: GoValue, at: Step[], goType: string, item: (x: GoValue, at: Step[]) => T): T[] | null {
  if (v === null) return null;
  if (!Array.isArray(v)) throw typeError(v, at, goType);
  return v.map((x, i) => item(x, [...at, i]));
}

function asDevicesParameters(v: GoValue, at: Step[]): DevicesParameters {
  const p: DevicesParameters = { Devices: null, ThrottleReadBps: '', ThrottleWriteBps: '', ThrottleReadIOPS: '', ThrottleWriteIOPS: '', Weight: '' };
  if (v === null) return p;
  if (!(v instanceof Map)) throw typeError(v, at, 'blockio.DevicesParameters');
  for (const [key, x] of sortedEntries(v)) {
    const field = FIELDS.find((f) => f === key) ?? FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    if (!field) continue;
    // null empties a list but leaves a string as it was, as Go does.
    if (field === 'Devices') p.Devices = asList(x, [...at, field], '[]string', asString);
    else if (x !== null) p[field] = asString(x, [...at, field]);
  }
  return p;
}

/** The config in a decoded YAML document (null: no config at all). */
export function decodeConfig(doc: GoValue): BlockIOConfig | null {
  if (doc === null) return null;
  if (!(doc instanceof Map)) throw typeError(doc, [], 'blockio.Config');
  let classes: BlockIOConfig = [];
  for (const [key, v] of sortedEntries(doc)) {
    if (key.toLowerCase() !== 'classes') continue;
    if (v === null) {
      classes = [];
      continue;
    }
    if (!(v instanceof Map)) throw typeError(v, ['Classes'], 'map[string][]blockio.DevicesParameters');
    // A repeated Classes key (Classes and classes) adds to the same map.
    const merged = new Map(classes);
    for (const [name, entries] of sortedEntries(v)) {
      merged.set(name, asList(entries, ['Classes', name], '[]blockio.DevicesParameters', asDevicesParameters) ?? []);
    }
    classes = [...merged.entries()].sort((a, b) => byteOrder(a[0], b[0]));
  }
  return classes;
}
