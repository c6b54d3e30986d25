/**
 * API objects as JSON, the way protojson writes them with proto field names:
 * 64-bit integers as strings, enums by name, bytes as base64, Timestamps as
 * RFC 3339, Durations as "1.5s", and Any fields decoded with an "@type".
 */
import { messageType, protobuf } from './registry';
import { unpackAny } from '../typeurl';

/** Render a decoded message of `typeName` as a JSON-ready value. */
export function toJSONValue(typeName: string, obj: unknown): unknown {
  return convertMessage(messageType(typeName), obj);
}

function convertMessage(t: protobuf.Type, obj: unknown): unknown {
  if (obj === null || obj === undefined) return null;
  const name = t.fullName.slice(1);
  const o = obj as Record<string, unknown>;
  if (name === 'google.protobuf.Timestamp') return timestampToRFC3339(o as { seconds: string; nanos: number });
  if (name === 'google.protobuf.Duration') return `${Number(o.seconds) + (o.nanos as number) / 1e9}s`;
  if (name === 'google.protobuf.Any') return anyToJSON(o as { type_url: string; value: Buffer });
  if (name === 'google.protobuf.Empty') return {};
  const out: Record<string, unknown> = {};
  for (const f of t.fieldsArray) {
    if (!(f.name in o)) continue;
    out[f.name] = convertField(f, o[f.name]);
  }
  return out;
}

function convertField(f: protobuf.Field, v: unknown): unknown {
  f.resolve();
  const one = (x: unknown) => convertScalarOrMessage(f, x);
  if (f.map) {
    const m: Record<string, unknown> = {};
    for (const [k, x] of Object.entries((v as Record<string, unknown>) ?? {})) m[k] = one(x);
    return m;
  }
  if (f.repeated) return ((v as unknown[]) ?? []).map(one);
  return one(v);
}

function convertScalarOrMessage(f: protobuf.Field, v: unknown): unknown {
  if (f.resolvedType instanceof protobuf.Type) return convertMessage(f.resolvedType, v);
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

/** A Timestamp as RFC 3339 with nanoseconds trimmed like protojson (0, 3, 6 or 9 digits). */
export function timestampToRFC3339(ts: { seconds: string | number; nanos: number } | null | undefined): string | null {
  if (!ts) return null;
  const secs = Number(ts.seconds);
  const base = new Date(secs * 1000).toISOString().slice(0, 19);
  const nanos = ts.nanos || 0;
  let frac = '';
  if (nanos) {
    frac = String(nanos).padStart(9, '0');
    frac = '.' + (nanos % 1e6 === 0 ? frac.slice(0, 3) : nanos % 1e3 === 0 ? frac.slice(0, 6) : frac);
  }
  return `${base}${frac}Z`;
}

/** A Timestamp as a JS Date (millisecond precision). */
export function timestampToDate(ts: { seconds: string | number; nanos: number } | null | undefined): Date | null {
  if (!ts) return null;
  return new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos || 0) / 1e6));
}

/** A JS Date (or now) as a Timestamp. */
export function dateToTimestamp(d: Date = new Date()): { seconds: string; nanos: number } {
  const ms = d.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

function anyToJSON(any: { type_url: string; value: Buffer }): unknown {
  if (!any.type_url) return null;
  const decoded = unpackAny(any);
  if (!decoded) return { '@type': any.type_url, value: Buffer.from(any.value ?? []).toString('base64') };
  if (!decoded.proto) return { '@type': any.type_url, ...(decoded.value as object) };
  const inner = toJSONValue(decoded.typeName, decoded.value) as Record<string, unknown>;
  return { '@type': any.type_url, ...inner };
}
