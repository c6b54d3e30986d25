/**
 * One connection to containerd for one command: the channel, the namespace and
 * lease headers, one deadline for the whole command, and calls of every
 * streaming kind in promise and async-iterator form.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as grpc from '@grpc/grpc-js';
import { decode, encode, serviceType, protobuf } from '../api/registry';
import { RpcError } from '../errdefs';
import type { Methods } from '../../api/gen/services';
import { grpcTarget, socketPath } from './address';

/** containerd's server and client both default to 16 MiB messages. */
export const MAX_MESSAGE_BYTES = 16 << 20;
/** ctr's 1.x client waits this long for a connection when --connect-timeout is 0. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export const NAMESPACE_HEADER = 'containerd-namespace';
export const LEASE_HEADER = 'containerd-lease';

/** Partial at every level: requests may leave out any field (proto3 defaults). */
export type DeepPartial<T> = T extends Buffer
  ? T
  : T extends (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> | null }
      : T;

type Svc = keyof Methods;
type Mth<S extends Svc> = keyof Methods[S] & string;
type Req<S extends Svc, M extends Mth<S>> = Methods[S][M] extends { request: infer R } ? R : never;
type Res<S extends Svc, M extends Mth<S>> = Methods[S][M] extends { response: infer R } ? R : never;

export interface ClientOptions {
  address: string;
  namespace: string;
  /** Milliseconds for the whole command; 0 for none. */
  timeoutMs?: number;
  /** Milliseconds to wait for the connection; 0 for the default. */
  connectTimeoutMs?: number;
  /** Sent as containerd-lease on every call while set. */
  lease?: string;
  /** Observes every call (used by --trace). */
  tracer?: CallTracer;
}

export interface CallOptions {
  /** Long-lived calls (Tasks.Wait, Events.Subscribe) get no deadline. */
  noDeadline?: boolean;
  /** Override the namespace header for this call. */
  namespace?: string;
  /** Override (or with null, drop) the lease header for this call. */
  lease?: string | null;
}

/**
 * What a tracer hears about a call, in wire order: `start` (metadata), one
 * `send` per message written (the request of a unary or server-streaming call
 * too), one `receive` per message read off the wire, and one `end` with the
 * status, whether the call finished, failed or was cancelled.
 */
export interface CallEvent {
  /** The call's path, /<service>/<method>. */
  method: string;
  kind: 'unary' | 'server' | 'client' | 'bidi';
  metadata: Record<string, string>;
  phase: 'start' | 'send' | 'receive' | 'end';
  message?: unknown;
  error?: RpcError;
  elapsedMs?: number;
  /** Numbers calls of one client from 1, to tell concurrent calls apart. */
  id?: number;
  service?: string;
  methodName?: string;
  /** The proto message types of the request and the response. */
  requestType?: string;
  responseType?: string;
  /** Encoded size of the message (send, receive). */
  bytes?: number;
  /** The gRPC status code at `end` (0 for OK). */
  code?: number;
}
export type CallTracer = (event: CallEvent) => void;

/** A server stream as an async iterable that can be cancelled. */
export interface ServerStream<T> extends AsyncIterable<T> {
  cancel(): void;
}

/** A client or bidi stream: send with backpressure, then end; read replies by iterating. */
export interface DuplexStream<Q, R> extends AsyncIterable<R> {
  send(message: DeepPartial<Q>): Promise<void>;
  end(): void;
  cancel(): void;
}

interface MethodDef {
  path: string;
  service: string;
  name: string;
  requestType: string;
  responseType: string;
}

/** What a client shares with the clients derived from it: the channel and its bookkeeping. */
interface Shared {
  grpcClient: grpc.Client;
  methods: Map<string, MethodDef>;
}

/** The per-call state a tracer needs. */
interface CallTrace {
  id: number;
  def: MethodDef;
  kind: CallEvent['kind'];
  started: number;
  ended: boolean;
}

/** A containerd connection scoped to one command. */
export class Client {
  readonly address: string;
  namespace: string;
  lease?: string;
  private readonly shared: Shared;
  private readonly owner: boolean;
  private readonly deadline: number;
  private readonly connectTimeoutMs: number;
  private connected?: Promise<void>;
  private readonly tracer?: CallTracer;
  private readonly active = new Set<grpc.Call | { cancel(): void }>();
  // Trace numbers count the calls of one command (one client), from 1.
  private nextCallId = 1;

  constructor(opts: ClientOptions, parent?: Client) {
    this.address = opts.address;
    this.namespace = opts.namespace;
    this.lease = opts.lease;
    this.tracer = opts.tracer;
    this.deadline = opts.timeoutMs ? Date.now() + opts.timeoutMs : Infinity;
    this.connectTimeoutMs = opts.connectTimeoutMs || DEFAULT_CONNECT_TIMEOUT_MS;
    this.owner = !parent;
    this.shared = parent
      ? parent.shared
      : {
          grpcClient: new grpc.Client(grpcTarget(opts.address), grpc.credentials.createInsecure(), {
            'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
            'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
            // containerd's server allows keepalive pings no more often than every 5 minutes.
            'grpc.keepalive_time_ms': 0x7fffffff,
          }),
          methods: new Map(),
        };
  }

  private get grpcClient(): grpc.Client {
    return this.shared.grpcClient;
  }

  /**
   * A client for one command over this client's channel (the shell's): its own
   * namespace, lease, deadline and tracer. Closing it leaves the channel open.
   */
  derive(opts: Omit<ClientOptions, 'address'>): Client {
    return new Client({ ...opts, address: this.address }, this);
  }

  /** Cancel every call of this client that is still running (the shell's Ctrl-C). */
  cancelAll(): void {
    for (const c of [...this.active]) c.cancel();
  }

  /** Close the channel (a derived client leaves its parent's channel open). */
  close(): void {
    if (this.owner) this.grpcClient.close();
  }

  /**
   * Wait until the socket answers, failing fast (and naming the cause) when
   * there is no socket or nobody listens, and after the connect timeout otherwise.
   */
  connect(): Promise<void> {
    if (!this.connected) this.connected = this.doConnect();
    return this.connected;
  }

  private async doConnect(): Promise<void> {
    const sock = socketPath(this.address);
    let st: fs.Stats;
    try {
      st = fs.statSync(sock);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`cannot access socket ${sock}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (!st.isSocket()) throw new Error(`cannot connect to ${sock}: not a socket`);
    const channel = this.grpcClient.getChannel();
    const limit = Math.min(Date.now() + this.connectTimeoutMs, this.deadline);
    let state = channel.getConnectivityState(true);
    while (state !== grpc.connectivityState.READY) {
      if (state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN) {
        throw new Error(`failed to connect to containerd at ${sock}: ${await probeSocket(sock)}`);
      }
      const current = state;
      const ok = await new Promise<boolean>((resolve) => {
        channel.watchConnectivityState(current, limit, (err) => resolve(!err));
      });
      if (!ok) {
        throw new Error(`failed to connect to containerd at ${sock}: no answer within ${Math.round((limit - Date.now() + this.connectTimeoutMs) / 1000)}s (connect timeout)`);
      }
      state = channel.getConnectivityState(true);
    }
  }

  private method(service: string, method: string): MethodDef {
    const key = `${service}/${method}`;
    let def = this.shared.methods.get(key);
    if (!def) {
      const svc = serviceType(service);
      const m = svc.methods[method] as protobuf.Method | undefined;
      if (!m) throw new Error(`unknown method ${service}/${method}`);
      m.resolve();
      def = {
        path: `/${service}/${method}`,
        service,
        name: method,
        requestType: m.resolvedRequestType!.fullName.slice(1),
        responseType: m.resolvedResponseType!.fullName.slice(1),
      };
      this.shared.methods.set(key, def);
    }
    return def;
  }

  private metadata(opts: CallOptions): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set(NAMESPACE_HEADER, opts.namespace ?? this.namespace);
    const lease = opts.lease === undefined ? this.lease : opts.lease;
    if (lease) md.set(LEASE_HEADER, lease);
    return md;
  }

  private callOptions(opts: CallOptions): grpc.CallOptions {
    return { deadline: opts.noDeadline ? Infinity : this.deadline };
  }

  // With a tracer, the codec reports each message as it goes on or comes off
  // the wire, with its encoded size: the order the daemon sees.
  private codec(def: MethodDef, t?: CallTrace) {
    if (!t) {
      return {
        serialize: (v: object) => encode(def.requestType, v),
        deserialize: (b: Buffer) => decode(def.responseType, b),
      };
    }
    return {
      serialize: (v: object) => {
        const b = encode(def.requestType, v);
        // What went on the wire, read back: the tracer shows the bytes' meaning, not the caller's object.
        this.emit(t, 'send', { message: decode(def.requestType, b), bytes: b.length });
        return b;
      },
      deserialize: (b: Buffer) => {
        const m = decode(def.responseType, b);
        this.emit(t, 'receive', { message: m, bytes: b.length });
        return m;
      },
    };
  }

  private startTrace(def: MethodDef, kind: CallEvent['kind'], md: grpc.Metadata): CallTrace | undefined {
    if (!this.tracer) return undefined;
    const t: CallTrace = { id: this.nextCallId++, def, kind, started: performance.now(), ended: false };
    this.emit(t, 'start', { metadata: flatMd(md) });
    return t;
  }

  private emit(t: CallTrace, phase: CallEvent['phase'], extra: Partial<CallEvent> = {}): void {
    if (t.ended) return;
    if (phase === 'end') t.ended = true;
    this.tracer!({
      method: t.def.path,
      kind: t.kind,
      metadata: {},
      phase,
      id: t.id,
      service: t.def.service,
      methodName: t.def.name,
      requestType: t.def.requestType,
      responseType: t.def.responseType,
      ...(phase === 'end' ? { elapsedMs: performance.now() - t.started } : {}),
      ...extra,
    });
  }

  private endTrace(t: CallTrace | undefined, status: { code: number; details?: string }): void {
    if (!t) return;
    const error = status.code === grpc.status.OK ? undefined : new RpcError(status.code, status.details ?? '', t.def.path);
    this.emit(t, 'end', { code: status.code, error });
  }

  private track<C extends grpc.Call | { cancel(): void }>(call: C): C {
    this.active.add(call);
    return call;
  }

  private toError(err: grpc.ServiceError | Error, path: string): Error {
    const e = err as grpc.ServiceError;
    if (typeof e.code === 'number') return new RpcError(e.code, e.details ?? e.message, path);
    return err;
  }

  /** A unary call. */
  async unary<S extends Svc, M extends Mth<S>>(
    service: S,
    method: M,
    request: DeepPartial<Req<S, M>>,
    opts: CallOptions = {},
  ): Promise<Res<S, M>> {
    return this.rawUnary(service, method, request as object, opts) as Promise<Res<S, M>>;
  }

  /** A unary call by name, untyped (for `ctrx api call`). */
  async rawUnary(service: string, method: string, request: object, opts: CallOptions = {}): Promise<unknown> {
    const def = this.method(service, method);
    await this.connect();
    const md = this.metadata(opts);
    const t = this.startTrace(def, 'unary', md);
    const { serialize, deserialize } = this.codec(def, t);
    return new Promise((resolve, reject) => {
      const call = this.track(
        this.grpcClient.makeUnaryRequest(def.path, serialize, deserialize, request, md, this.callOptions(opts), (err, res) => {
          this.active.delete(call);
          if (err) {
            const e = this.toError(err, def.path);
            this.endTrace(t, { code: (err as grpc.ServiceError).code ?? grpc.status.UNKNOWN, details: e.message });
            reject(e);
          } else {
            this.endTrace(t, { code: grpc.status.OK });
            resolve(res);
          }
        }),
      );
    });
  }

  /**
   * Whether the daemon serves `service`, asked without side effects: a call of
   * a method no service has is answered "unknown service" by grpc-go when the
   * service is not registered, and "unknown method" when it is.
   */
  async probeService(service: string): Promise<boolean> {
    await this.connect();
    const path = `/${service}/CtrxProbeNoSuchMethod`;
    const id = (b: Buffer) => b;
    return new Promise((resolve, reject) => {
      this.grpcClient.makeUnaryRequest(path, id, id, Buffer.alloc(0), this.metadata({}), this.callOptions({}), (err) => {
        if (!err) return resolve(true);
        if (err.code !== grpc.status.UNIMPLEMENTED) return reject(this.toError(err, path));
        resolve(!/unknown service/i.test(err.details ?? ''));
      });
    });
  }

  /** A server-streaming call as an async iterable. */
  serverStream<S extends Svc, M extends Mth<S>>(
    service: S,
    method: M,
    request: DeepPartial<Req<S, M>>,
    opts: CallOptions = {},
  ): ServerStream<Res<S, M>> {
    return this.rawServerStream(service, method, request as object, opts) as ServerStream<Res<S, M>>;
  }

  /** A server-streaming call by name, untyped. */
  rawServerStream(service: string, method: string, request: object, opts: CallOptions = {}): ServerStream<unknown> {
    const def = this.method(service, method);
    let call: grpc.ClientReadableStream<unknown> | undefined;
    let cancelled = false;
    const self = this;
    return {
      cancel() {
        cancelled = true;
        call?.cancel();
      },
      async *[Symbol.asyncIterator]() {
        await self.connect();
        if (cancelled) return;
        const md = self.metadata(opts);
        const t = self.startTrace(def, 'server', md);
        const { serialize, deserialize } = self.codec(def, t);
        call = self.track(self.grpcClient.makeServerStreamRequest(def.path, serialize, deserialize, request, md, self.callOptions(opts)));
        call.on('status', (st: grpc.StatusObject) => {
          self.active.delete(call!);
          self.endTrace(t, st);
        });
        try {
          for await (const msg of call) yield msg;
        } catch (err) {
          if (cancelled && (err as grpc.ServiceError).code === grpc.status.CANCELLED) return;
          throw self.toError(err as Error, def.path);
        } finally {
          call.cancel();
          self.active.delete(call);
        }
      },
    };
  }

  /** A client- or bidi-streaming call: messages go out with backpressure, replies come in order. */
  duplex<S extends Svc, M extends Mth<S>>(service: S, method: M, opts: CallOptions = {}): DuplexStream<Req<S, M>, Res<S, M>> {
    return this.rawDuplex(service, method, opts) as DuplexStream<Req<S, M>, Res<S, M>>;
  }

  /** A client- or bidi-streaming call by name, untyped. */
  rawDuplex(service: string, method: string, opts: CallOptions = {}): DuplexStream<unknown, unknown> {
    const def = this.method(service, method);
    const svc = serviceType(service).methods[method];
    const bidi = !!svc.responseStream;
    const md = this.metadata(opts);
    const kind = bidi ? 'bidi' : 'client';
    const self = this;
    let t: CallTrace | undefined;
    // Replies are queued so that iteration can start before or after sending.
    const replies: unknown[] = [];
    let done = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    let call: grpc.ClientDuplexStream<object, unknown> | grpc.ClientWritableStream<object> | undefined;
    const open = async () => {
      if (call) return call;
      await self.connect();
      t = self.startTrace(def, kind, md);
      const { serialize, deserialize } = self.codec(def, t);
      if (bidi) {
        const c = self.grpcClient.makeBidiStreamRequest(def.path, serialize, deserialize, md, self.callOptions(opts));
        c.on('data', (m: unknown) => {
          replies.push(m);
          notify();
        });
        c.on('error', (err: Error) => {
          failure = self.toError(err, def.path);
          notify();
        });
        c.on('end', () => {
          done = true;
          notify();
        });
        call = c;
      } else {
        call = self.grpcClient.makeClientStreamRequest(def.path, serialize, deserialize, md, self.callOptions(opts), (err, res) => {
          if (err) failure = self.toError(err, def.path);
          else replies.push(res);
          done = true;
          notify();
        });
      }
      self.track(call);
      call.on('status', (st: grpc.StatusObject) => {
        self.active.delete(call!);
        self.endTrace(t, st);
      });
      return call;
    };
    let opening: Promise<unknown> | undefined;
    return {
      async send(message) {
        opening ??= open();
        await opening;
        if (failure) throw failure;
        const ok = call!.write(message as object);
        if (!ok) await new Promise<void>((resolve) => call!.once('drain', resolve));
      },
      end() {
        if (call) call.end();
        else {
          opening ??= open();
          void opening.then(() => call!.end());
        }
      },
      cancel() {
        call?.cancel();
      },
      async *[Symbol.asyncIterator]() {
        opening ??= open();
        await opening;
        for (;;) {
          if (replies.length) {
            yield replies.shift();
            continue;
          }
          if (failure) throw failure;
          if (done) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  }
}

function flatMd(md: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md.getMap())) out[k] = String(v);
  return out;
}

/** Why a unix socket does not answer, in words (for the connect error). */
function probeSocket(sock: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(sock);
    const timer = setTimeout(() => {
      s.destroy();
      resolve('connection attempt timed out');
    }, 2000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve('the socket accepts connections but does not speak gRPC');
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        e.code === 'ECONNREFUSED'
          ? 'connection refused (is containerd running?)'
          : e.code === 'EACCES'
            ? 'permission denied (containerd\'s socket usually needs root)'
            : e.message;
      resolve(why);
    });
  });
}
