/**
 * A minimal ttrpc client: the protocol containerd speaks to its shims. Each
 * frame is a 10-byte header (data length uint32 BE, stream id uint32 BE,
 * message type, flags) and a protobuf body; a call is one Request frame
 * (service, method, payload, timeout, metadata) answered by one Response frame
 * (google.rpc.Status, payload) on the same odd-numbered stream. Unary only,
 * which is all the shim's task API needs.
 */
import * as net from 'net';
import { protobuf } from '../api/registry';
import { decode, encode } from '../api/registry';
import { RpcError } from '../errdefs';

const HEADER_BYTES = 10;
/** ttrpc refuses messages over 4 MiB. */
const MAX_MESSAGE_BYTES = 4 << 20;
const TYPE_REQUEST = 1;
const TYPE_RESPONSE = 2;

/** A ttrpc Request body, encoded by hand (its schema is ttrpc's, not containerd's API). */
function encodeRequest(service: string, method: string, payload: Buffer, timeoutNano: number, metadata: Record<string, string>): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string(service);
  w.uint32((2 << 3) | 2).string(method);
  w.uint32((3 << 3) | 2).bytes(payload);
  if (timeoutNano) w.uint32((4 << 3) | 0).int64(timeoutNano);
  for (const [key, value] of Object.entries(metadata)) {
    w.uint32((5 << 3) | 2).fork().uint32((1 << 3) | 2).string(key).uint32((2 << 3) | 2).string(value).ldelim();
  }
  return Buffer.from(w.finish());
}

interface Response {
  code: number;
  message: string;
  payload: Buffer;
}

function decodeStatus(buf: Uint8Array): { code: number; message: string } {
  const r = protobuf.Reader.create(buf);
  let code = 0;
  let message = '';
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) code = r.int32();
    else if (tag >>> 3 === 2) message = r.string();
    else r.skipType(tag & 7);
  }
  return { code, message };
}

function decodeResponse(buf: Buffer): Response {
  const r = protobuf.Reader.create(buf);
  const res: Response = { code: 0, message: '', payload: Buffer.alloc(0) };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) Object.assign(res, decodeStatus(r.bytes()));
    else if (tag >>> 3 === 2) res.payload = Buffer.from(r.bytes());
    else r.skipType(tag & 7);
  }
  return res;
}

/** One connection to a ttrpc server (a shim's socket). */
export class TtrpcClient {
  private nextStream = 1;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
  private closedWith?: Error;

  private constructor(
    private readonly socket: net.Socket,
    readonly address: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('ttrpc: connection closed')));
  }

  /** Connect to a unix socket path (a leading NUL byte means an abstract socket). */
  static connect(address: string, timeoutMs = 5000): Promise<TtrpcClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ path: address });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${printable(address)}: timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(new TtrpcClient(s, address));
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(`connect to ${printable(address)}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`));
      });
    });
  }

  /**
   * Call service/method with a request of `requestType` and decode the reply
   * as `responseType`. Status codes are gRPC's, so errors classify as RpcError.
   */
  async call<T = Record<string, unknown>>(
    service: string,
    method: string,
    requestType: string,
    request: object,
    responseType: string,
    opts: { timeoutMs?: number; metadata?: Record<string, string> } = {},
  ): Promise<T> {
    if (this.closedWith) throw this.closedWith;
    const body = encodeRequest(service, method, encode(requestType, request), (opts.timeoutMs ?? 0) * 1e6, opts.metadata ?? {});
    if (body.length > MAX_MESSAGE_BYTES) throw new Error(`ttrpc: request of ${body.length} bytes exceeds the 4 MiB limit`);
    const stream = this.nextStream;
    this.nextStream += 2;
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32BE(body.length, 0);
    header.writeUInt32BE(stream, 4);
    header.writeUInt8(TYPE_REQUEST, 8);
    header.writeUInt8(0, 9);
    const reply = new Promise<Response>((resolve, reject) => this.pending.set(stream, { resolve, reject }));
    this.socket.write(Buffer.concat([header, body]));
    const res = await reply;
    const path = `/${service}/${method}`;
    if (res.code !== 0) throw new RpcError(res.code, res.message, path);
    return decode<T>(responseType, res.payload);
  }

  /** Close the connection. */
  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= HEADER_BYTES) {
      const length = this.buffered.readUInt32BE(0);
      if (length > MAX_MESSAGE_BYTES) {
        this.fail(new Error(`ttrpc: message of ${length} bytes exceeds the 4 MiB limit`));
        this.socket.destroy();
        return;
      }
      if (this.buffered.length < HEADER_BYTES + length) return;
      const stream = this.buffered.readUInt32BE(4);
      const type = this.buffered.readUInt8(8);
      const body = this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length);
      this.buffered = this.buffered.subarray(HEADER_BYTES + length);
      const waiter = this.pending.get(stream);
      if (type !== TYPE_RESPONSE || !waiter) continue; // nothing else is expected on a unary client
      this.pending.delete(stream);
      try {
        waiter.resolve(decodeResponse(Buffer.from(body)));
      } catch (e) {
        waiter.reject(e as Error);
      }
    }
  }

  private fail(err: Error): void {
    this.closedWith ??= err;
    for (const w of this.pending.values()) w.reject(err);
    this.pending.clear();
  }
}

/** A socket address for messages: abstract sockets shown with a leading @. */
export function printable(address: string): string {
  return address.startsWith('\0') ? `@${address.slice(1)}` : address;
}
