/**
 * Streams of containerd's Streaming service (1.7+), as the Transfer service
 * uses them: a bidi stream of Any, named by a StreamInit{id} first message the
 * daemon acknowledges; then progress events, registry credential requests and
 * HTTP debug logs flow over streams the transfer request names by that id.
 */
import { randomLeaseID } from '../leases/temp-lease';
import type { Client, DuplexStream } from '../client/client';
import { decode } from '../api/registry';
import { messageNameOf, packAny, type AnyMessage } from '../typeurl';
import { GarbageBound } from '../util/gc';

const STREAMING = 'containerd.services.streaming.v1.Streaming' as const;

/** An open, acknowledged stream. */
export interface NamedStream {
  id: string;
  send(typeName: string, value: object): Promise<void>;
  /** Incoming messages, decoded when their type is known to ctrx. */
  messages(): AsyncGenerator<{ typeName: string; value: Record<string, unknown> }>;
  /** End our side of the stream (the daemon sees EOF); replies may still come. */
  closeSend(): void;
  close(): void;
}

/** A stream id like ctr's: <purpose>-<nanoseconds>-<random>. */
export function streamID(purpose: string): string {
  return `${purpose}-${randomLeaseID()}`;
}

/** Open a stream and wait for the daemon to acknowledge its StreamInit. */
export async function openStream(client: Client, purpose: string): Promise<NamedStream> {
  const id = streamID(purpose);
  const call = client.duplex(STREAMING, 'Stream', { noDeadline: true }) as unknown as DuplexStream<AnyMessage, AnyMessage>;
  const it = call[Symbol.asyncIterator]();
  await call.send(packAny('containerd.services.streaming.v1.StreamInit', { id }));
  const ack = await it.next();
  if (ack.done) throw new Error(`stream ${id}: the daemon closed it before acknowledging`);
  let closed = false;
  return {
    id,
    send: (typeName, value) => call.send(packAny(typeName, value)),
    async *messages() {
      for (;;) {
        let r: IteratorResult<AnyMessage>;
        try {
          r = await it.next();
        } catch (err) {
          if (closed) return;
          throw err;
        }
        if (r.done) return;
        const name = messageNameOf(r.value.type_url);
        let value: Record<string, unknown> = {};
        try {
          value = decode(name, r.value.value);
        } catch {
          // A type we have no definition for: hand it on empty.
        }
        yield { typeName: name, value };
      }
    },
    closeSend() {
      call.end();
    },
    close() {
      closed = true;
      call.end();
      call.cancel();
    },
  };
}

const DATA = 'containerd.types.transfer.Data';

/** The daemon closed a byte stream before taking all of it (its own error says why). */
export class StreamEndedError extends Error {}

const WINDOW = 'containerd.types.transfer.WindowUpdate';
/** Largest Data payload, as containerd's own sender cuts them. */
export const MAX_DATA_BYTES = 32 * 1024;

/**
 * Send a byte source over a stream as the Transfer service's byte streams
 * want it: the receiver grants credit with WindowUpdate{update} messages and
 * the sender sends Data{data} pieces of at most 32 KiB without exceeding the
 * credit; the end of the bytes is the end of our sending side. Rejects if the
 * daemon closes the stream before taking everything.
 */
export async function sendBytes(stream: NamedStream, source: AsyncIterable<Buffer>, onSent?: (n: number) => void): Promise<void> {
  let credit = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const updates = (async () => {
    try {
      for await (const m of stream.messages()) {
        if (m.typeName === WINDOW) credit += Number(m.value.update) || 0;
        notify();
      }
    } finally {
      ended = true;
      notify();
    }
  })();
  updates.catch(() => undefined);
  let sent = 0;
  const gc = new GarbageBound();
  for await (const chunk of source) {
    gc.moved(chunk.length);
    for (let at = 0; at < chunk.length; ) {
      while (credit <= 0) {
        if (ended) throw new StreamEndedError(`stream ${stream.id}: the daemon stopped reading after ${sent} bytes`);
        await new Promise<void>((r) => (wake = r));
      }
      const n = Math.min(MAX_DATA_BYTES, credit, chunk.length - at);
      await stream.send(DATA, { data: chunk.subarray(at, at + n) });
      credit -= n;
      at += n;
      sent += n;
      onSent?.(sent);
    }
  }
  stream.closeSend();
}

/**
 * Receive a byte stream the daemon sends (Data messages) into `sink`,
 * granting credit as the sink takes the bytes: at most `window` bytes are
 * ever outstanding, so memory stays bounded however fast the daemon is.
 * Resolves with the byte count when the daemon ends the stream, or as soon
 * as `complete` says the bytes so far are the whole of it (containerd 2.1
 * leaves an export stream open after the last byte).
 */
export async function receiveBytes(
  stream: NamedStream,
  sink: NodeJS.WritableStream,
  opts: { window?: number; complete?: (chunk: Buffer) => boolean; onData?: (n: number) => void } = {},
): Promise<number> {
  const window = opts.window ?? 1 << 20;
  let outstanding = window;
  await stream.send(WINDOW, { update: window });
  let received = 0;
  const gc = new GarbageBound();
  for await (const m of stream.messages()) {
    if (m.typeName !== DATA) continue;
    const data = m.value.data as Buffer | undefined;
    if (!data?.length) continue;
    outstanding -= data.length;
    received += data.length;
    gc.moved(data.length);
    opts.onData?.(received);
    if (!sink.write(data)) {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        sink.once('error', onErr);
        sink.once('drain', () => {
          sink.off('error', onErr);
          resolve();
        });
      });
    }
    if (opts.complete?.(data)) return received;
    // Top the credit up once half of it is used, in one message.
    if (outstanding <= window / 2) {
      await stream.send(WINDOW, { update: window - outstanding });
      outstanding = window;
    }
  }
  return received;
}

/**
 * Follows a tar stream's structure (512-byte headers, contents padded to
 * 512) and reports when its end-of-archive marker (two zero blocks) is in.
 */
export class TarEnd {
  private header = Buffer.alloc(512);
  private have = 0;
  private skip = 0;
  private zeros = 0;
  done = false;

  /** Take the next bytes; true once the archive is complete. */
  push(chunk: Buffer): boolean {
    let at = 0;
    while (at < chunk.length && !this.done) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(512 - this.have, chunk.length - at);
      chunk.copy(this.header, this.have, at, at + n);
      this.have += n;
      at += n;
      if (this.have < 512) break;
      this.have = 0;
      if (this.header.every((b) => b === 0)) {
        if (++this.zeros === 2) this.done = true;
        continue;
      }
      this.zeros = 0;
      this.skip = Math.ceil(tarSize(this.header) / 512) * 512;
    }
    return this.done;
  }
}

/** The size field of a tar header: octal text, or base-256 when the high bit is set. */
function tarSize(h: Buffer): number {
  const f = h.subarray(124, 136);
  if (f[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < f.length; i++) n = n * 256 + f[i];
    return n;
  }
  const text = f.toString('latin1').replace(/\0.*$/, '').trim();
  return text ? parseInt(text, 8) : 0;
}
