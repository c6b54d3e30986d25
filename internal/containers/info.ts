/** A container record in ctr's `containers info` JSON shape (Go's containers.Container). */
import type { Client } from '../client/client';
import type { containerd } from '../../api/gen/types';
import { timestampToRFC3339 } from '../api/json';
import { parseVersion } from '../client/features';

type Container = containerd.services.containers.v1.Container;
type Any = { type_url: string; value: Buffer };

// Go marshals an Any as {type_url, value(base64, omitted when empty)}.
function anyJSON(a: Any | null | undefined): unknown {
  if (!a) return null;
  const v = Buffer.from(a.value ?? []);
  // A present but empty Any (restore's runtime options) is Go's non-nil zero value.
  if (!a.type_url) return v.length ? { value: v.toString('base64') } : {};
  return v.length ? { type_url: a.type_url, value: v.toString('base64') } : { type_url: a.type_url };
}

/** The stored spec, parsed (null when there is none). */
export function specJSON(c: Container): unknown {
  const raw = Buffer.from(c.spec?.value ?? []).toString('utf8');
  return raw ? JSON.parse(raw) : null;
}

// Go's time.Time JSON: RFC 3339 with nanoseconds, trailing zeros trimmed.
function goTime(ts: { seconds: string; nanos: number } | null): string {
  if (!ts) return '0001-01-01T00:00:00Z';
  const base = timestampToRFC3339({ seconds: ts.seconds, nanos: 0 })!.replace(/Z$/, '');
  const frac = ts.nanos ? '.' + String(ts.nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${base}${frac}Z`;
}

/** ctr's PrintAsJSON of the container info (2.x adds SandboxID and prints empty extensions as {}). */
export async function containerInfoJSON(client: Client, c: Container): Promise<unknown> {
  const v = await client.unary('containerd.services.version.v1.Version', 'Version', {});
  const two = parseVersion(v.version)[0] >= 2;
  const ext = Object.entries(c.extensions ?? {});
  const out: Record<string, unknown> = {
    ID: c.id,
    Labels: Object.keys(c.labels ?? {}).length ? Object.fromEntries(Object.entries(c.labels).sort(([a], [b]) => (a < b ? -1 : 1))) : null,
    Image: c.image,
    Runtime: { Name: c.runtime?.name ?? '', Options: anyJSON(c.runtime?.options) },
    SnapshotKey: c.snapshot_key,
    Snapshotter: c.snapshotter,
    CreatedAt: goTime(c.created_at),
    UpdatedAt: goTime(c.updated_at),
    Extensions: ext.length ? Object.fromEntries(ext.map(([k, a]) => [k, anyJSON(a)])) : two ? {} : null,
  };
  if (two) out.SandboxID = c.sandbox;
  out.Spec = specJSON(c);
  return out;
}
