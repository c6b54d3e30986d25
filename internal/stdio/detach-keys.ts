/**
 * Detach keys for `tasks attach --detach-keys` (a ctrx extension; ctr has
 * none): the key sequence Docker users know, in Docker's notation
 * ("ctrl-p,ctrl-q", "ctrl-a,d"). The filter passes the input through to the
 * task, holding back bytes that may begin the sequence (and letting them go
 * on if the sequence breaks), and emits 'detach' once the whole sequence was
 * typed; those bytes never reach the task.
 */
import { Transform, type TransformCallback } from 'stream';

/** "ctrl-p,ctrl-q" as bytes: ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\, ctrl-], ctrl-^, ctrl-_, or one plain character. */
export function parseDetachKeys(spec: string): Buffer {
  const bad = () => new Error(`invalid detach keys ${JSON.stringify(spec)}: want a comma-separated list like ctrl-p,ctrl-q (ctrl-<a-z@[\\]^_> or single characters)`);
  if (!spec) throw bad();
  const bytes = spec.split(',').map((key) => {
    const ctrl = /^ctrl-(.)$/i.exec(key);
    if (ctrl) {
      const c = ctrl[1].toLowerCase();
      if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96;
      const i = '@[\\]^_'.indexOf(c);
      if (i >= 0) return i === 0 ? 0 : 26 + i;
      throw bad();
    }
    if (key.length === 1) return key.charCodeAt(0);
    throw bad();
  });
  return Buffer.from(bytes);
}

/** Input filter that emits 'detach' when `keys` arrive in a row. */
export class DetachFilter extends Transform {
  private matched = 0;
  private detached = false;

  constructor(private readonly keys: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.detached) return done();
    const out: number[] = [];
    for (const b of chunk) {
      if (b === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.detached = true;
          if (out.length) this.push(Buffer.from(out));
          this.emit('detach');
          return done();
        }
        continue;
      }
      // The sequence broke: what was held back goes on, then this byte is looked at afresh.
      if (this.matched) out.push(...this.keys.subarray(0, this.matched));
      this.matched = b === this.keys[0] ? 1 : 0;
      if (!this.matched) out.push(b);
    }
    if (out.length) this.push(Buffer.from(out));
    done();
  }
}
