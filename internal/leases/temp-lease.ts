/**
 * Temporary leases, as ctr takes them around pulls, imports and other writes:
 * everything created under the lease is kept from garbage collection until the
 * work is done; if ctrx dies half-way, the lease expires and the collector
 * removes what was left (nothing half-made survives).
 */
import { randomBytes } from 'crypto';
import type { Client } from '../client/client';
import { timestampToRFC3339 } from '../api/json';
import { interrupted } from '../util/interrupt';

export const GC_EXPIRE_LABEL = 'containerd.io/gc.expire';
/** ctr's default lifetime for its temporary leases. */
export const DEFAULT_LEASE_MS = 24 * 3600 * 1000;

/** An ID like containerd's leases.WithRandomID: <nanoseconds>-<base64url of 3 random bytes>. */
export function randomLeaseID(): string {
  const nanos = Number(process.hrtime.bigint() % 1_000_000_000n);
  return `${nanos}-${randomBytes(3).toString('base64url')}`;
}

/** RFC 3339 time `ms` from now, as gc.expire wants it. */
export function expiryLabel(ms: number): string {
  const t = Date.now() + ms;
  return timestampToRFC3339({ seconds: Math.floor(t / 1000), nanos: 0 })!;
}

export interface TempLeaseOptions {
  /** Lease lifetime (gc.expire); defaults to 24 h. */
  expireMs?: number;
  /** Extra labels. */
  labels?: Record<string, string>;
  /** Delete the lease with sync (wait for garbage collection). */
  sync?: boolean;
}

/**
 * Run fn with a temporary lease active on the client (sent as the
 * containerd-lease header on every call), then delete the lease. If fn throws,
 * the lease is still deleted, so what fn created becomes collectable at once.
 */
export async function withTempLease<T>(client: Client, fn: (leaseID: string) => Promise<T>, opts: TempLeaseOptions = {}): Promise<T> {
  if (client.lease) return fn(client.lease); // already under a lease: reuse it, as ctr's WithLease does
  const id = randomLeaseID();
  await client.unary('containerd.services.leases.v1.Leases', 'Create', {
    id,
    labels: { [GC_EXPIRE_LABEL]: expiryLabel(opts.expireMs ?? DEFAULT_LEASE_MS), ...opts.labels },
  });
  client.lease = id;
  try {
    return await fn(id);
  } finally {
    client.lease = undefined;
    // Interrupted (Ctrl-C): keep the lease; it expires, and a re-run resumes what it holds.
    if (!interrupted()) {
      await client
        .unary('containerd.services.leases.v1.Leases', 'Delete', { id, sync: !!opts.sync }, { lease: null })
        .catch(() => undefined); // an expired or already removed lease is fine
    }
  }
}
