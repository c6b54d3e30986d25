/**
 * Go's encoding/json of a containerd API message, as ctr prints events and
 * shim replies: the generated Go structs tag every field with its proto name
 * and omitempty, enums are numbers, 64-bit integers are bare numbers. The two
 * code generators differ only in Timestamps: 1.x (gogo, stdtime) holds a
 * time.Time that is always written as an RFC 3339 string; 2.x
 * (golang/protobuf) holds a *timestamppb.Timestamp written as
 * {"seconds":N,"nanos":N} and left out when absent.
 */
import { messageType, protobuf } from '../api/registry';
import { unpackAny, type AnyMessage } from '../typeurl';
import { goRFC3339Nano } from './go-time';

/** Which Go code generator's structs to imitate: containerd 1.x (gogo) or 2.x (golang/protobuf). */
export type GoStyle = 'gogo' | 'golang';

/** The Go style of a daemon's (or shim's) release line, from its version string. */
export function goStyleOf(version: string): GoStyle {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? '2');
  return major >= 2 ? 'golang' : 'gogo';
}

/** Go's json.Marshal of a decoded message of `typeName`, compact (no spaces), keys in field order. */
export function goJSONMessage(typeName: string, obj: unknown, style: GoStyle): string {
  return encodeMessage(messageType(typeName), obj as Record<string, unknown>, style) ?? '{}';
}

/** An Any decoded and written as ctr writes typeurl.UnmarshalAny's result, or null if unknown. */
export function goJSONAny(any: AnyMessage | null | undefined, style: GoStyle): string | null {
  const decoded = unpackAny(any);
  if (!decoded) return null;
  if (!decoded.proto) return goString(JSON.stringify(decoded.value));
  return goJSONMessage(decoded.typeName, decoded.value, style);
}

/** Indent compact JSON the way json.MarshalIndent(v, "", "    ") does (numbers kept as written). */
export function goIndent(compact: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const nl = () => '\n' + '    '.repeat(depth);
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (inString) {
      out += c;
      if (c === '\\') out += compact[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      if (compact[i + 1] === close) {
        out += c + close;
        i++;
      } else {
        depth++;
        out += c + nl();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += nl() + c;
    } else if (c === ',') out += ',' + nl();
    else if (c === ':') out += ': ';
    else out += c;
  }
  return out;
}

function encodeMessage(t: protobuf.Type, o: Record<string, unknown> | null, style: GoStyle): string | undefined {
  if (o === null || o === undefined) return undefined;
  const name = t.fullName.slice(1);
  if (name === 'google.protobuf.Timestamp') return encodeTimestamp(o as { seconds: string; nanos: number }, style);
  const parts: string[] = [];
  for (const f of t.fieldsArray) {
    f.resolve();
    const v = o[f.name];
    let enc: string | undefined;
    if (f.map) enc = encodeMap(f, v as Record<string, unknown>, style);
    else if (f.repeated) {
      const list = (v as unknown[]) ?? [];
      if (list.length) enc = `[${list.map((x) => encodeSingle(f, x, style) ?? 'null').join(',')}]`;
    } else {
      enc = encodeSingle(f, v, style);
      // gogo's non-nullable stdtime fields are time.Time values: never empty, always written.
      if (enc === undefined && style === 'gogo' && isTimestamp(f)) enc = '"0001-01-01T00:00:00Z"';
    }
    if (enc !== undefined) parts.push(`${goString(f.name)}:${enc}`);
  }
  return `{${parts.join(',')}}`;
}

function isTimestamp(f: protobuf.Field): boolean {
  return f.resolvedType instanceof protobuf.Type && f.resolvedType.fullName === '.google.protobuf.Timestamp';
}

function encodeMap(f: protobuf.Field, m: Record<string, unknown> | null, style: GoStyle): string | undefined {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return undefined;
  return `{${keys.map((k) => `${goString(k)}:${encodeSingle(f, m![k], style, true) ?? 'null'}`).join(',')}}`;
}

// One value of field f; undefined when omitempty leaves it out.
function encodeSingle(f: protobuf.Field, v: unknown, style: GoStyle, inContainer = false): string | undefined {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Type) {
    if (rt.fullName === '.google.protobuf.Any') return encodeAny(v as AnyMessage | null, inContainer);
    const r = encodeMessage(rt, v as Record<string, unknown> | null, style);
    return r === undefined && inContainer ? 'null' : r;
  }
  if (rt instanceof protobuf.Enum) {
    const n = typeof v === 'number' ? v : (rt.values[String(v)] ?? 0);
    return n === 0 && !inContainer ? undefined : String(n);
  }
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
    const b = Buffer.from(v);
    return b.length === 0 && !inContainer ? undefined : `"${b.toString('base64')}"`;
  }
  switch (typeof v) {
    case 'string':
      if (['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'].includes(f.type)) return v === '0' && !inContainer ? undefined : v;
      return v === '' && !inContainer ? undefined : goString(v);
    case 'number':
      return v === 0 && !inContainer ? undefined : goNumber(v, f.type);
    case 'boolean':
      return v || inContainer ? String(v) : undefined;
    default:
      return undefined;
  }
}

// Any keeps its raw form in Go's JSON: type_url and base64 value, both omitempty.
function encodeAny(a: AnyMessage | null, inContainer: boolean): string | undefined {
  if (!a) return inContainer ? 'null' : undefined;
  const parts: string[] = [];
  if (a.type_url) parts.push(`"type_url":${goString(a.type_url)}`);
  const value = Buffer.from(a.value ?? []);
  if (value.length) parts.push(`"value":"${value.toString('base64')}"`);
  return `{${parts.join(',')}}`;
}

function encodeTimestamp(ts: { seconds: string; nanos: number }, style: GoStyle): string {
  if (style === 'gogo') return `"${goRFC3339Nano(ts)}"`;
  const parts: string[] = [];
  if (ts.seconds && ts.seconds !== '0') parts.push(`"seconds":${ts.seconds}`);
  if (ts.nanos) parts.push(`"nanos":${ts.nanos}`);
  return `{${parts.join(',')}}`;
}

function goNumber(v: number, type: string): string {
  if (type === 'float' || type === 'double') return String(v);
  return String(Math.trunc(v));
}

/** A JSON string as Go writes it: <, >, & and U+2028/9 escaped. */
export function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
