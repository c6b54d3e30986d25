/**
 * Stream helpers for moving blobs: a read-ahead that keeps the network busy
 * while the daemon writes (bounded, so memory stays flat whatever the size),
 * coalescing small HTTP chunks into fewer Content.Write messages, a size
 * guard, and a small concurrency limiter.
 */

/**
 * Re-chunk src into pieces of `chunk` bytes, reading up to `ahead` bytes in
 * advance; fails once more than `maxBytes` arrive (when given).
 */
export async function* readAhead(src: AsyncIterable<Buffer | Uint8Array>, opts: { chunk?: number; ahead?: number; maxBytes?: number; what?: string } = {}): AsyncGenerator<Buffer> {
  // 1 MiB measured best: larger messages wait longer for their ack, smaller ones pay more round trips.
  const chunk = opts.chunk ?? 1 << 20;
  const ahead = opts.ahead ?? 8 << 20;
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure: unknown;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  let stop = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  const push = (b: Buffer) => {
    queue.push(b);
    queued += b.length;
    wakeConsumer?.();
    wakeConsumer = undefined;
  };
  const pump = (async () => {
    try {
      for await (const piece of src) {
        if (stop) break;
        const b = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        total += b.length;
        if (opts.maxBytes !== undefined && total > opts.maxBytes) {
          throw new Error(`${opts.what ?? 'blob'}: the registry sent more than the expected ${opts.maxBytes} bytes`);
        }
        pending.push(b);
        pendingBytes += b.length;
        if (pendingBytes >= chunk) {
          push(Buffer.concat(pending, pendingBytes));
          pending = [];
          pendingBytes = 0;
        }
        while (queued >= ahead && !stop) await new Promise<void>((r) => (wakeProducer = r));
      }
      if (pendingBytes) push(Buffer.concat(pending, pendingBytes));
    } catch (err) {
      failure = err;
    } finally {
      ended = true;
      wakeConsumer?.();
      wakeConsumer = undefined;
    }
  })();
  try {
    for (;;) {
      if (queue.length) {
        const b = queue.shift()!;
        queued -= b.length;
        wakeProducer?.();
        wakeProducer = undefined;
        yield b;
        continue;
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((r) => (wakeConsumer = r));
    }
  } finally {
    stop = true;
    wakeProducer?.();
    // Stopped early (an error downstream): close the source so the pump does not wait on it forever.
    if (!ended) (src as { destroy?: () => void }).destroy?.();
    void pump;
  }
}

/** A counting semaphore: at most `n` tasks at a time (n <= 0 means no limit). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.n > 0 && this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
