/**
 * The transfer progress display ctr draws for pulls (content.Display): one
 * line per blob with its state, a bar and bytes, and an "elapsed / total"
 * footer, aligned by a tabwriter and repainted in place on a terminal. When
 * the output is not a terminal, state changes come out as plain lines instead.
 * Shared by import, export, pull and push.
 */
import { tabwriteText } from '../output/tabwriter';
import { bytes, seconds } from './units';

const ESC = '\x1b';
const GREEN = `${ESC}[32m`;
const RESET = `${ESC}[0m`;

/** One tracked transfer: a blob, a manifest, the reference being resolved... */
export interface ProgressJob {
  /** The line's name, e.g. "layer-sha256:…" (remotes.MakeRefKey) or the image ref. */
  key: string;
  /** resolving, resolved, waiting, downloading, uploading, reading, writing, done, exists, ... */
  status: string;
  offset?: number;
  total?: number;
}

/** ctr's progress.Bar at width 40: |+++---| with the filled part in green. */
export function bar(fraction: number, width = 40): string {
  const f = Math.min(1, Math.max(0, fraction || 0));
  const inner = width - 2;
  const pos = Math.floor(inner * f);
  return `|${GREEN}${'+'.repeat(pos)}${RESET}${'-'.repeat(inner - pos)}|`;
}

/** States that show a bar with bytes; the others show an empty or full bar. */
const ACTIVE = new Set(['downloading', 'uploading', 'reading', 'writing', 'extracting']);
const PENDING = new Set(['resolving', 'waiting']);

/** The table ctr's content.Display prints (already tabwritten). */
export function renderProgress(jobs: readonly ProgressJob[], elapsedMs: number): string {
  let total = 0;
  let text = '';
  for (const j of jobs) {
    total += j.offset ?? 0;
    if (ACTIVE.has(j.status)) {
      const frac = j.total ? (j.offset ?? 0) / j.total : 0;
      text += `${j.key}:\t${j.status}\t${bar(frac)}\t${bytes(j.offset ?? 0).padStart(8).slice(0, 8)}/${bytes(j.total ?? 0)}\t\n`;
    } else {
      text += `${j.key}:\t${j.status}\t${bar(PENDING.has(j.status) ? 0 : 1)}\t\n`;
    }
  }
  const rate = elapsedMs > 0 ? Math.trunc(total / (elapsedMs / 1000)) : 0;
  text += `elapsed: ${seconds(elapsedMs).padEnd(4)}s\ttotal: ${bytes(total).padStart(7)}\t(${bytes(rate)}/s)\t\n`;
  return tabwriteText(text, { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' });
}

/** Where progress goes and how: repainted (TTY), plain state lines, or nothing. */
export type ProgressMode = 'tty' | 'plain' | 'off';

/** The mode for a stream: a terminal repaints, anything else gets plain lines (unless off). */
export function modeFor(stream: NodeJS.WriteStream, opts: { quiet?: boolean; plain?: boolean } = {}): ProgressMode {
  if (opts.quiet) return 'off';
  if (stream.isTTY) return 'tty';
  return opts.plain ? 'plain' : 'off';
}

/**
 * Tracks jobs and shows them: on a TTY the table is repainted every 100 ms
 * (and once more at stop), in plain mode each state change is one line
 * `<key>: <status> [<bytes>]`.
 */
export class ProgressDisplay {
  private readonly jobs = new Map<string, ProgressJob>();
  private readonly start = Date.now();
  private lines = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    readonly mode: ProgressMode,
  ) {
    if (mode === 'tty') {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  /** Add or update a job; the first update fixes its place in the list. */
  set(key: string, patch: Partial<Omit<ProgressJob, 'key'>>): void {
    const prev = this.jobs.get(key);
    const next: ProgressJob = { key, status: 'waiting', ...prev, ...patch };
    this.jobs.set(key, next);
    if (this.mode === 'plain' && (!prev || prev.status !== next.status) && !ACTIVE.has(next.status)) {
      const size = next.total ? ` (${bytes(next.total)})` : '';
      this.stream.write(`${key}: ${next.status}${size}\n`);
    }
  }

  /** Current state of a job. */
  get(key: string): ProgressJob | undefined {
    return this.jobs.get(key);
  }

  /** Repaint now (TTY only). */
  draw(): void {
    if (this.mode !== 'tty' || this.stopped) return;
    const text = renderProgress([...this.jobs.values()], Date.now() - this.start);
    const width = this.stream.columns || 0;
    let clear = '';
    for (let i = 0; i < this.lines; i++) clear += `${ESC}[1A${ESC}[2K\r`;
    this.stream.write(clear + text);
    this.lines = countLines(text, width);
  }

  /** Final repaint and stop the timer; plain mode prints the footer. */
  stop(): void {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    if (this.mode === 'tty') this.draw();
    if (this.mode === 'plain') {
      let total = 0;
      for (const j of this.jobs.values()) total += j.offset ?? 0;
      this.stream.write(`elapsed: ${seconds(Date.now() - this.start)}s total: ${bytes(total)}\n`);
    }
    this.stopped = true;
  }
}

/** Screen lines the text occupies (wrapped lines count more), escapes ignored. */
function countLines(text: string, width: number): number {
  const lines = text.split('\n');
  lines.pop();
  if (width <= 0) return lines.length;
  let n = 0;
  for (const l of lines) {
    // eslint-disable-next-line no-control-regex
    const visible = l.replace(/\x1b\[[0-9]+m/g, '').length;
    n += Math.max(1, Math.ceil(visible / width));
  }
  return n;
}
