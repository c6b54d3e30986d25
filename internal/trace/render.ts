/**
 * API messages as protojson-style JSON for people reading the wire: what
 * toJSONValue gives (proto names, Any decoded), then fields left at their
 * default dropped as protojson does, big byte fields and long lists cut down
 * to a size and the first items, and secrets replaced.
 */
import { toJSONValue } from '../api/json';
import { messageType, protobuf } from '../api/registry';
import { JSON_TYPE_URLS, messageNameOf } from '../typeurl';

export interface RenderOptions {
  /** Keep fields at their default value (protojson's EmitUnpopulated). */
  emitDefaults?: boolean;
  /** Byte fields longer than this show as their size and a prefix. */
  maxBytes?: number;
  /** Repeated fields longer than this show their first items and a count. */
  maxItems?: number;
  /** Replace secrets (passwords, tokens, auth) with "<redacted>". */
  redact?: boolean;
}

/** Field and key names whose values are never printed. */
const SECRET = /passw|secret|token|auth|credential|api[-_]?key/i;
// ...except names that only point at a secret's carrier (RegistryResolver.auth_stream).
const NOT_SECRET = /_stream$|^authority$/i;

/** True for a field or key name that holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET.test(name) && !NOT_SECRET.test(name);
}

const REDACTED = '<redacted>';
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Render a decoded message of `typeName` (a client response or request) as JSON. */
export function renderMessage(typeName: string, obj: unknown, opts: RenderOptions = {}): unknown {
  const t = messageType(typeName);
  return post(t, toJSONValue(typeName, obj), opts);
}

/** Replace secret values anywhere in a plain JSON value (for payloads without a schema). */
export function redactJSON(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactJSON);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = isSecretName(k) && typeof x === 'string' && x !== '' ? REDACTED : redactJSON(x);
    }
    return out;
  }
  return v;
}

function post(t: protobuf.Type, v: unknown, opts: RenderOptions): unknown {
  if (v === null || v === undefined) return null;
  const name = t.fullName.slice(1);
  if (name === 'google.protobuf.Any') return postAny(v as Record<string, unknown>, opts);
  if (name.startsWith('google.protobuf.') && typeof v !== 'object') return v;
  if (name === 'google.protobuf.Empty' || name === 'google.protobuf.Struct' || name === 'google.protobuf.Value') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of t.fieldsArray) {
    if (!(f.name in o)) continue;
    f.resolve();
    const x = postField(f, o[f.name], opts);
    if (x === undefined) continue;
    out[f.name] = x;
  }
  return out;
}

function postField(f: protobuf.Field, v: unknown, opts: RenderOptions): unknown {
  const keep = opts.emitDefaults;
  if (f.map) {
    const entries = Object.entries((v as Record<string, unknown>) ?? {});
    if (!entries.length && !keep) return undefined;
    const m: Record<string, unknown> = {};
    for (const [k, x] of entries) {
      m[k] = opts.redact && isSecretName(k) && typeof x === 'string' && x !== '' ? REDACTED : postOne(f, x, opts);
    }
    return m;
  }
  if (f.repeated) {
    const list = (v as unknown[]) ?? [];
    if (!list.length && !keep) return undefined;
    const max = opts.maxItems;
    const shown = max !== undefined && list.length > max ? list.slice(0, max) : list;
    const out = shown.map((x) => postOne(f, x, opts));
    if (shown.length < list.length) out.push(`... ${list.length - shown.length} more (${list.length} in all)`);
    return out;
  }
  if (!keep && isDefault(f, v)) return undefined;
  if (opts.redact && isSecretName(f.name) && (f.type === 'string' || f.type === 'bytes') && v !== '') return REDACTED;
  return postOne(f, v, opts);
}

function postOne(f: protobuf.Field, v: unknown, opts: RenderOptions): unknown {
  if (f.resolvedType instanceof protobuf.Type) return post(f.resolvedType, v, opts);
  if (f.type === 'bytes' && typeof v === 'string') return cutBytes(v, opts.maxBytes);
  if (INT64.has(f.type) && typeof v === 'number') return String(v);
  return v;
}

function isDefault(f: protobuf.Field, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (f.resolvedType instanceof protobuf.Type) return false;
  if (f.resolvedType instanceof protobuf.Enum) {
    return v === 0 || f.resolvedType.valuesById[0] === v;
  }
  return v === '' || v === 0 || v === '0' || v === false;
}

/** A base64 byte field over `max` bytes as "<N bytes, base64 PREFIX...>". */
function cutBytes(b64: string, max: number | undefined): string {
  if (max === undefined) return b64;
  const size = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (size <= max) return b64;
  return `<${size} bytes, base64 ${b64.slice(0, 32)}...>`;
}

// An Any as toJSONValue gives it: {"@type": url, ...fields of the decoded message}.
function postAny(v: Record<string, unknown>, opts: RenderOptions): unknown {
  const url = v['@type'];
  if (typeof url !== 'string') return v;
  const { '@type': _url, ...rest } = v;
  let inner: protobuf.Type | undefined;
  if (!isJSONPayloadURL(url)) {
    try {
      inner = messageType(messageNameOf(url));
    } catch {
      inner = undefined;
    }
  }
  if (inner && !('value' in rest && Object.keys(rest).length === 1 && typeof rest.value === 'string' && !inner.fields.value)) {
    return { '@type': url, ...(post(inner, rest, opts) as object) };
  }
  if (!inner && Object.keys(rest).length === 1 && typeof rest.value === 'string') {
    // An Any ctrx cannot decode: its bytes, cut like any other.
    return { '@type': url, value: cutBytes(rest.value, opts.maxBytes) };
  }
  return { '@type': url, ...(opts.redact ? (redactJSON(rest) as object) : rest) };
}

/** Type URLs of JSON payloads (the OCI spec and others), as typeurl decodes them. */
function isJSONPayloadURL(url: string): boolean {
  return JSON_TYPE_URLS.has(url) || (url.includes('/') && !url.startsWith('type.googleapis.com/'));
}
