/** Socket addresses as containerd's dialer takes them, turned into grpc-js targets. */
import * as path from 'path';

/**
 * The filesystem path of a containerd address: a bare path, `unix://path` or
 * `unix:///abs/path` all name the same socket (containerd's dialer strips the
 * scheme and uses what is left as the path).
 */
export function socketPath(address: string): string {
  let p = address;
  if (p.startsWith('unix://')) p = p.slice('unix://'.length);
  else if (p.startsWith('unix:')) p = p.slice('unix:'.length);
  if (p === '') throw new Error(`invalid address ${JSON.stringify(address)}: no socket path`);
  return path.resolve(p);
}

/** The grpc-js target for an address: always `unix:///absolute/path`. */
export function grpcTarget(address: string): string {
  return `unix://${socketPath(address)}`;
}
