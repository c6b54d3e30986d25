/**
 * The content store over containerd's Content service: info, streaming reads,
 * and streaming writes with Content.Write (stat, write, commit) that resume a
 * partial ingest, keep every message under the 16 MiB gRPC limit and hold only
 * one chunk in memory at a time.
 */
import { createHash } from 'crypto';
import type { Client } from '../client/client';
import { isAlreadyExists, isNotFound } from '../errdefs';
import type { containerd } from '../../api/gen/types';

const SVC = 'containerd.services.content.v1.Content' as const;

/** The Go client splits writes into DefaultMaxSendMsgSize>>1 (8 MiB); so do we, less a margin for the envelope. */
export const WRITE_CHUNK_BYTES = (8 << 20) - 64 * 1024;
/** Writes are gathered into messages of about this size. */
export const COALESCE_BYTES = 1 << 20;
/** WRITE messages sent before waiting for the daemon's acknowledgements. */
export const MAX_WRITES_IN_FLIGHT = 4;
/** Size of each Content.Read request window. */
export const READ_CHUNK_BYTES = 1 << 20;

export type ContentInfo = containerd.services.content.v1.Info;

/** Content.Info for one digest. */
export async function info(client: Client, digest: string): Promise<ContentInfo> {
  const res = await client.unary(SVC, 'Info', { digest });
  return res.info!;
}

/** Content.Info, or undefined when the blob is not there. */
export async function infoIfExists(client: Client, digest: string): Promise<ContentInfo | undefined> {
  try {
    return await info(client, digest);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Stream a blob (or a range of it) with Content.Read. */
export async function* readBlob(client: Client, digest: string, opts: { offset?: number; size?: number } = {}): AsyncGenerator<Buffer> {
  const stream = client.serverStream(SVC, 'Read', { digest, offset: String(opts.offset ?? 0), size: String(opts.size ?? 0) });
  for await (const m of stream) {
    if (m.data.length) yield m.data;
  }
}

/** A whole blob in memory: for manifests, indexes and configs only. */
export async function readAll(client: Client, digest: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of readBlob(client, digest)) parts.push(b);
  return Buffer.concat(parts);
}

/** A blob parsed as JSON. */
export async function readJSON<T = unknown>(client: Client, digest: string): Promise<T> {
  const data = await readAll(client, digest);
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (e) {
    throw new Error(`content ${digest} is not valid JSON: ${(e as Error).message}`);
  }
}

export interface WriteOptions {
  /** The ingest reference: one writer per ref at a time; a partial ingest under it is resumed. */
  ref: string;
  /** Expected digest; checked by the daemon at commit. */
  expected?: string;
  /** Expected total size; 0 or undefined when unknown. */
  size?: number;
  /** Labels set at commit (gc references, uncompressed digest, ...). */
  labels?: Record<string, string>;
  /** Called with the number of bytes written so far (including resumed bytes). */
  onProgress?: (written: number) => void;
}

export interface WriteResult {
  digest: string;
  size: number;
  /** True when the daemon already had the blob and nothing was written. */
  existed: boolean;
}

/**
 * Write a blob from a buffer or a byte stream. If an ingest under the same ref
 * was interrupted, the bytes the daemon already has are skipped (the source is
 * read past them, and hashed, so the expected digest still holds).
 */
export async function writeBlob(client: Client, source: Buffer | AsyncIterable<Buffer | Uint8Array>, opts: WriteOptions): Promise<WriteResult> {
  if (opts.expected) {
    const have = await infoIfExists(client, opts.expected);
    if (have) return { digest: opts.expected, size: Number(have.size), existed: true };
  }
  const call = client.duplex(SVC, 'Write');
  const replies = call[Symbol.asyncIterator]();
  const next = async () => {
    const r = await replies.next();
    if (r.done) throw new Error(`content write ${opts.ref}: the daemon closed the stream early`);
    return r.value;
  };
  try {
    await call.send({ action: 'STAT', ref: opts.ref, total: String(opts.size ?? 0), expected: opts.expected ?? '' });
    const stat = await next();
    let resumeAt = Number(stat.offset);
    const hash = createHash('sha256');
    // offset: bytes the daemon has acknowledged; sent: bytes handed to the stream.
    let offset = 0;
    let sent = 0;
    let inFlight = 0;
    const awaitAck = async () => {
      const ack = await next();
      inFlight--;
      offset = Number(ack.offset);
      opts.onProgress?.(offset);
    };
    // Small source pieces (an HTTP body arrives in 16-64 KiB reads) are gathered
    // into messages of up to COALESCE_BYTES, and a few messages are kept in
    // flight: one round trip per tiny write would make ingest latency-bound.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const data = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      for (let i = 0; i < data.length; i += WRITE_CHUNK_BYTES) {
        const part = data.subarray(i, i + WRITE_CHUNK_BYTES);
        await call.send({ action: 'WRITE', ref: opts.ref, offset: String(sent), data: part });
        sent += part.length;
        inFlight++;
        while (inFlight >= MAX_WRITES_IN_FLIGHT) await awaitAck();
      }
    };
    const chunks: Iterable<Buffer | Uint8Array> | AsyncIterable<Buffer | Uint8Array> = Buffer.isBuffer(source) ? [source] : source;
    for await (const piece of chunks) {
      let buf = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      hash.update(buf);
      // Skip what a previous, interrupted ingest already wrote.
      if (resumeAt > 0) {
        const skip = Math.min(resumeAt, buf.length);
        buf = buf.subarray(skip);
        resumeAt -= skip;
        sent += skip;
        offset += skip;
        if (!buf.length) continue;
      }
      // The source may reuse its buffer after yielding: keep a copy.
      pending.push(Buffer.from(buf));
      pendingBytes += buf.length;
      if (pendingBytes >= COALESCE_BYTES) await flush();
    }
    await flush();
    while (inFlight > 0) await awaitAck();
    const digest = `sha256:${hash.digest('hex')}`;
    if (opts.expected && opts.expected !== digest) {
      throw new Error(`content write ${opts.ref}: unexpected digest ${digest}, expected ${opts.expected}`);
    }
    if (opts.size && opts.size !== offset) {
      throw new Error(`content write ${opts.ref}: unexpected size ${offset}, expected ${opts.size}`);
    }
    try {
      // The offset must be sent: a COMMIT at offset 0 makes the daemon truncate the ingest first.
      await call.send({ action: 'COMMIT', ref: opts.ref, total: String(offset), offset: String(offset), expected: opts.expected || digest, labels: opts.labels ?? {} });
      await next();
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      call.end();
      return { digest, size: offset, existed: true };
    }
    call.end();
    return { digest, size: offset, existed: false };
  } catch (err) {
    call.cancel();
    if (isAlreadyExists(err) && opts.expected) return { digest: opts.expected, size: opts.size ?? 0, existed: true };
    throw err;
  }
}

/** Drop a partial ingest (Content.Abort); a missing one is fine. */
export async function abortIngest(client: Client, ref: string): Promise<void> {
  try {
    await client.unary(SVC, 'Abort', { ref });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Set labels on a blob (only the named keys; an empty value removes the label). */
export async function setLabels(client: Client, digest: string, labels: Record<string, string>): Promise<ContentInfo> {
  const paths = Object.keys(labels).map((k) => `labels.${k}`);
  const res = await client.unary(SVC, 'Update', { info: { digest, labels }, update_mask: { paths } });
  return res.info!;
}
