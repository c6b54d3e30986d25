/**
 * Where a shim listens, computed as containerd computes it: a socket under
 * /run/containerd/s named by sha256(<daemon address>/<namespace>/<id>) (with
 * /debug appended for its pprof server), or the abstract socket of older
 * shims, @/containerd-shim/<namespace>/<id>/shim.sock.
 */
import * as crypto from 'crypto';
import * as path from 'path';

/** containerd's hard-coded socket root for shims. */
export const SHIM_SOCKET_ROOT = '/run/containerd/s';

function daemonPath(address: string): string {
  return address.replace(/^unix:\/\//, '');
}

/** The hashed socket path of shim `id` started by the daemon at `address`. */
export function shimSocket(address: string, namespace: string, id: string, debug = false): string {
  let p = path.join(daemonPath(address), namespace, id);
  if (debug) p = path.join(p, 'debug');
  return path.join(SHIM_SOCKET_ROOT, crypto.createHash('sha256').update(p).digest('hex'));
}

/** Sockets to try for a shim, in ctr's order: an explicit address, the hashed socket, the old abstract one. */
export function shimSocketCandidates(opts: { address: string; namespace: string; id?: string; shimAddress?: string }): string[] {
  const out: string[] = [];
  if (opts.shimAddress) out.push(opts.shimAddress.replace(/^unix:\/\//, ''));
  if (opts.id) {
    out.push(shimSocket(opts.address, opts.namespace, opts.id));
    out.push('\0' + path.join('/containerd-shim', opts.namespace, opts.id, 'shim.sock'));
  }
  return out;
}
