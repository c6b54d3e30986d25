/**
 * The shim's task API over ttrpc, in either version: containerd.task.v3.Task
 * (containerd 2.x shims) or containerd.task.v2.Task (1.x shims). With no
 * version asked for, v3 is tried first and v2 when the shim does not serve it.
 */
import { TtrpcClient, printable } from './ttrpc';
import { isUnimplemented } from '../errdefs';
import { shimSocketCandidates } from './address';
import type { GoStyle } from '../events/go-json';

export type TaskAPIVersion = 2 | 3;

/** A connection to one shim's task service. */
export class ShimTask {
  constructor(
    readonly conn: TtrpcClient,
    private version?: TaskAPIVersion,
  ) {}

  /** The version in use (after the first call when it was left to discover). */
  get apiVersion(): TaskAPIVersion {
    return this.version ?? 3;
  }

  /** ctr prints v2 replies with 1.x's Go structs and v3 replies with 2.x's. */
  get style(): GoStyle {
    return this.apiVersion === 2 ? 'gogo' : 'golang';
  }

  /** Call Task.<method>; request and response types follow the method's naming in shim.proto. */
  async call<T = Record<string, unknown>>(method: string, request: object, types: { request: string; response: string }): Promise<T> {
    const attempt = (v: TaskAPIVersion) =>
      this.conn.call<T>(`containerd.task.v${v}.Task`, method, `containerd.task.v${v}.${types.request}`, request, types.response.startsWith('google.') ? types.response : `containerd.task.v${v}.${types.response}`);
    if (this.version) return attempt(this.version);
    try {
      const r = await attempt(3);
      this.version = 3;
      return r;
    } catch (err) {
      if (!isUnimplemented(err)) throw err;
      this.version = 2;
      return attempt(2);
    }
  }

  close(): void {
    this.conn.close();
  }
}

/** Connect to the first of the shim's sockets that answers, naming all tried if none does. */
export async function connectShim(opts: { address: string; namespace: string; id?: string; shimAddress?: string; apiVersion?: TaskAPIVersion }): Promise<ShimTask> {
  const sockets = shimSocketCandidates(opts);
  if (!sockets.length) throw new Error('shim ID (--id) or address (--shim-address) must be specified');
  const errors: string[] = [];
  for (const s of sockets) {
    try {
      return new ShimTask(await TtrpcClient.connect(s), opts.apiVersion);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  throw new Error(`fail to connect to container shim with sockets: [${sockets.map(printable).join(' ')}]: ${errors[0]}`);
}
