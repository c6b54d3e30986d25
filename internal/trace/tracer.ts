/**
 * --trace: every RPC a command makes, on stderr, in wire order: the call with
 * its metadata, each message sent and received as protojson-style JSON, and
 * the status with the duration. Streams show their first messages and then
 * only count; big byte fields show their size and a prefix; secrets never
 * appear. `--trace=json` writes the same as JSON lines.
 */
import { status as Status } from '@grpc/grpc-js';
import type { CallEvent, CallTracer } from '../client/client';
import { isSecretName, renderMessage, RenderOptions } from './render';

export type TraceFormat = 'text' | 'json';

export interface TracerOptions {
  format: TraceFormat;
  /** Where lines go (stderr by default). */
  write?: (line: string) => void;
  /** Messages of a stream shown in full, per direction; the rest are counted. */
  streamMessages?: number;
}

/** Rendering limits for traced messages. */
export const TRACE_RENDER: RenderOptions = { maxBytes: 96, maxItems: 10, redact: true };

interface CallState {
  kind: CallEvent['kind'];
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  elided: { send: boolean; receive: boolean };
}

/** A status code's name, as gRPC spells it (NOT_FOUND). */
export function statusName(code: number): string {
  return (Status as unknown as Record<number, string>)[code] ?? `CODE_${code}`;
}

/** Sizes as people read them: 512 B, 1.5 KiB, 8.0 MiB. */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}`;
}

/** A tracer for the client that writes what it hears in `format`. */
export function createTracer(opts: TracerOptions): CallTracer {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const limit = opts.streamMessages ?? 3;
  const calls = new Map<number, CallState>();
  const json = opts.format === 'json';

  const render = (ev: CallEvent, typeName: string | undefined): unknown => {
    if (!typeName) return ev.message;
    try {
      return renderMessage(typeName, ev.message, TRACE_RENDER);
    } catch (e) {
      return `<cannot render ${typeName}: ${(e as Error).message}>`;
    }
  };

  return (ev: CallEvent) => {
    const id = ev.id ?? 0;
    const label = `trace #${id}`;
    if (ev.phase === 'start') {
      calls.set(id, { kind: ev.kind, sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, elided: { send: false, receive: false } });
      const metadata = redactMetadata(ev.metadata);
      if (json) {
        write(JSON.stringify({ call: id, event: 'call', time: new Date().toISOString(), service: ev.service, method: ev.methodName, kind: ev.kind, metadata }) + '\n');
      } else {
        const md = Object.entries(metadata).map(([k, v]) => `${k}=${v}`).join(' ');
        write(`${label} call ${ev.service}/${ev.methodName} (${ev.kind}) ${md || '(no metadata)'}\n`);
      }
      return;
    }
    const st = calls.get(id);
    if (!st) return;
    if (ev.phase === 'send' || ev.phase === 'receive') {
      const out = ev.phase === 'send';
      const n = out ? ++st.sent : ++st.received;
      if (out) st.bytesSent += ev.bytes ?? 0;
      else st.bytesReceived += ev.bytes ?? 0;
      const single = out ? st.kind === 'unary' || st.kind === 'server' : st.kind === 'unary' || st.kind === 'client';
      if (n > limit && !single) {
        if (!st.elided[ev.phase]) {
          st.elided[ev.phase] = true;
          if (json) write(JSON.stringify({ call: id, event: ev.phase, elided: true, after: limit }) + '\n');
          else write(`${label} ${ev.phase}: further messages are counted, not shown\n`);
        }
        return;
      }
      const message = render(ev, out ? ev.requestType : ev.responseType);
      if (json) {
        write(JSON.stringify({ call: id, event: ev.phase, index: n, bytes: ev.bytes, type: out ? ev.requestType : ev.responseType, message }) + '\n');
      } else {
        const what = single ? (out ? 'request' : 'response') : `${ev.phase} #${n}`;
        write(`${label} ${what} (${humanBytes(ev.bytes ?? 0)}) ${JSON.stringify(message)}\n`);
      }
      return;
    }
    // end
    calls.delete(id);
    const code = ev.code ?? (ev.error ? ev.error.code : 0);
    const ms = Math.round((ev.elapsedMs ?? 0) * 100) / 100;
    if (json) {
      write(
        JSON.stringify({
          call: id,
          event: 'end',
          code,
          status: statusName(code),
          ...(code ? { error: ev.error?.details ?? ev.error?.message } : {}),
          duration_ms: ms,
          sent: st.sent,
          received: st.received,
          bytes_sent: st.bytesSent,
          bytes_received: st.bytesReceived,
        }) + '\n',
      );
    } else {
      const why = code ? `: ${ev.error?.details ?? ev.error?.message ?? ''}` : '';
      const counts = st.kind === 'unary' ? '' : `; sent ${plural(st.sent, 'message')} (${humanBytes(st.bytesSent)}), received ${plural(st.received, 'message')} (${humanBytes(st.bytesReceived)})`;
      write(`${label} status ${statusName(code)} (${code})${why} in ${ms}ms${counts}\n`);
    }
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function redactMetadata(md: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md)) out[k] = isSecretName(k) ? '<redacted>' : v;
  return out;
}
