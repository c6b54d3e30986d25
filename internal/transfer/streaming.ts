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

const STREAMING = 'containerd.services.streaming.v1.Streaming' as const;

/** An open, acknowledged stream. */
export interface NamedStream {
  id: string;
  send(typeName: string, value: object): Promise<void>;
  /** Incoming messages, decoded when their type is known to ctrx. */
  messages(): AsyncGenerator<{ typeName: string; value: Record<string, unknown> }>;
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
    close() {
      closed = true;
      call.end();
      call.cancel();
    },
  };
}
