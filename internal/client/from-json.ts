/**
 * Requests written as protojson-style JSON (for `ctrx api call`) turned into
 * the plain objects the codec encodes: proto or lowerCamel field names, 64-bit
 * integers as strings or numbers, bytes as base64, enums by name or number,
 * Timestamps as RFC 3339, Durations as "1.5s", FieldMasks as "a,b", and Any as
 * {"@type": url, ...fields} packed with the bare type URL given.
 */
import { encode, messageType, protobuf } from '../api/registry';
import { JSON_TYPE_URLS, messageNameOf } from '../typeurl';
import { UsageError } from '../errdefs';

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);

/** The plain object for a JSON request of message `typeName`; errors name the field. */
export function fromJSONValue(typeName: string, json: unknown): object {
  return message(messageType(typeName), json, '') as object;
}

function bad(path: string, why: string): UsageError {
  return new UsageError(`invalid request${path ? ` at ${path}` : ''}: ${why}`);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v);
}

function message(t: protobuf.Type, v: unknown, path: string): unknown {
  const name = t.fullName.slice(1);
  switch (name) {
    case 'google.protobuf.Timestamp':
      if (typeof v === 'string') return timestamp(v, path);
      break;
    case 'google.protobuf.Duration':
      if (typeof v === 'string') return duration(v, path);
      break;
    case 'google.protobuf.FieldMask':
      if (typeof v === 'string') return { paths: v ? v.split(',') : [] };
      break;
    case 'google.protobuf.Any':
      return any(v, path);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(path, `${t.name} must be a JSON object, not ${describe(v)}`);
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
    const f = t.fields[key] ?? t.fieldsArray.find((g) => camel(g.name) === key);
    const where = path ? `${path}.${key}` : key;
    if (!f) throw bad(where, `${t.fullName.slice(1)} has no field ${JSON.stringify(key)} (fields: ${t.fieldsArray.map((g) => g.name).join(', ') || 'none'})`);
    if (x === null) continue;
    f.resolve();
    if (f.map) {
      if (typeof x !== 'object' || Array.isArray(x)) throw bad(where, `a map must be a JSON object, not ${describe(x)}`);
      const m: Record<string, unknown> = {};
      for (const [k, y] of Object.entries(x as Record<string, unknown>)) m[k] = value(f, y, `${where}[${JSON.stringify(k)}]`);
      out[f.name] = m;
    } else if (f.repeated) {
      if (!Array.isArray(x)) throw bad(where, `a repeated field must be a JSON array, not ${describe(x)}`);
      out[f.name] = x.map((y, i) => value(f, y, `${where}[${i}]`));
    } else {
      out[f.name] = value(f, x, where);
    }
  }
  return out;
}

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function value(f: protobuf.Field, v: unknown, path: string): unknown {
  if (f.resolvedType instanceof protobuf.Type) return message(f.resolvedType, v, path);
  if (f.resolvedType instanceof protobuf.Enum) {
    const e = f.resolvedType;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && v in e.values) return v;
    throw bad(path, `${JSON.stringify(v)} is not a value of ${e.name} (${Object.keys(e.values).join(', ')})`);
  }
  const type = f.type;
  if (INT64.has(type)) {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
    throw bad(path, `${type} wants an integer (a number or a string of digits), not ${describe(v)}`);
  }
  if (INT32.has(type)) {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n)) return n;
    throw bad(path, `${type} wants an integer, not ${describe(v)}`);
  }
  if (type === 'double' || type === 'float') {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) return Number(v);
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
    throw bad(path, `${type} wants a number, not ${describe(v)}`);
  }
  if (type === 'bool') {
    if (typeof v === 'boolean') return v;
    throw bad(path, `bool wants true or false, not ${describe(v)}`);
  }
  if (type === 'string') {
    if (typeof v === 'string') return v;
    throw bad(path, `string wants a JSON string, not ${describe(v)}`);
  }
  if (type === 'bytes') {
    if (typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) return Buffer.from(v, 'base64');
    throw bad(path, `bytes want a base64 string, not ${describe(v)}`);
  }
  throw bad(path, `unsupported field type ${type}`);
}

function timestamp(s: string, path: string): { seconds: string; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || isNaN(ms)) throw bad(path, `${JSON.stringify(s)} is not an RFC 3339 time (2024-01-02T15:04:05Z)`);
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

function duration(s: string, path: string): { seconds: string; nanos: number } {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) throw bad(path, `${JSON.stringify(s)} is not a duration ("1.5s")`);
  const sign = m[1] ? -1 : 1;
  return { seconds: String(sign * Number(m[2])), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
}

function any(v: unknown, path: string): { type_url: string; value: Buffer } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(path, `an Any must be a JSON object with "@type", not ${describe(v)}`);
  const o = v as Record<string, unknown>;
  if (typeof o.type_url === 'string' && !('@type' in o)) {
    // The raw form: {"type_url": ..., "value": base64}.
    return { type_url: o.type_url, value: Buffer.from(String(o.value ?? ''), 'base64') };
  }
  const url = o['@type'];
  if (typeof url !== 'string' || !url) throw bad(path, 'an Any needs "@type" (a type URL such as containerd.types.transfer.OCIRegistry)');
  const { '@type': _u, ...rest } = o;
  let inner: protobuf.Type | undefined;
  if (!JSON_TYPE_URLS.has(url)) {
    try {
      inner = messageType(messageNameOf(url));
    } catch {
      inner = undefined;
    }
  }
  if (!inner) {
    if (JSON_TYPE_URLS.has(url) || url.includes('/')) return { type_url: url, value: Buffer.from(JSON.stringify(rest)) };
    throw bad(path, `unknown type ${JSON.stringify(url)} in "@type"`);
  }
  const innerName = inner.fullName.slice(1);
  // Well-known types carry their JSON form under "value".
  const body = innerName.startsWith('google.protobuf.') && 'value' in rest ? rest.value : rest;
  const obj = message(inner, body, `${path}(${innerName})`);
  // containerd sends and expects bare type URLs; a type.googleapis.com/ prefix is dropped.
  return { type_url: innerName, value: encode(innerName, obj as object) };
}
