/**
 * Progress of client-side pulls, fetches and pushes, drawn like ctr's
 * content.Display: on a terminal a table repainted every 100 ms (one line per
 * blob: `<kind>-sha256:<hex>: <status> |bar| <cur>/<total>`, then
 * `elapsed: … total: … (…/s)`); when stdout is not a terminal, one plain line
 * per status change and the summary at the end; nothing with --quiet.
 */
import { tabwriteText } from '../output/tabwriter';

export type JobStatus = 'resolving' | 'resolved' | 'waiting' | 'downloading' | 'uploading' | 'committing' | 'done' | 'exists' | 'mounted';

interface Job {
  key: string;
  status: JobStatus;
  offset: number;
  total: number;
}

/** go-units style sizes as ctr's progress.Bytes prints them: "1004.1 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let f = n;
  let i = 0;
  while (f >= 1024 && i < units.length - 1) {
    f /= 1024;
    i++;
  }
  return `${f.toFixed(1)} ${units[i]}`;
}

/** ctr's 40-column bar: |+++---| with the done part in green. */
export function bar(fraction: number, width = 40): string {
  const inner = width - 2;
  const n = Math.max(0, Math.min(inner, Math.floor(inner * fraction)));
  return `|\x1b[32m${'+'.repeat(n)}\x1b[0m${'-'.repeat(inner - n)}|`;
}

export type ProgressMode = 'tty' | 'plain' | 'quiet';

/** The mode for stdout: quiet when asked, a redrawn table on a terminal, plain lines otherwise. */
export function progressMode(quiet?: boolean): ProgressMode {
  if (quiet) return 'quiet';
  return process.stdout.isTTY ? 'tty' : 'plain';
}

/** A table of transfer jobs, drawn as ctr draws it. */
export class ProgressBoard {
  private readonly jobs = new Map<string, Job>();
  private readonly started = Date.now();
  private timer?: NodeJS.Timeout;
  private drawnLines = 0;
  private transferred = 0;

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    if (mode === 'tty') {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  /** Create or update a job line. */
  update(key: string, status: JobStatus, offset?: number, total?: number): void {
    let j = this.jobs.get(key);
    const changed = !j || j.status !== status;
    if (!j) {
      j = { key, status, offset: 0, total: 0 };
      this.jobs.set(key, j);
    }
    j.status = status;
    if (offset !== undefined) j.offset = offset;
    if (total !== undefined) j.total = total;
    if (changed && this.mode === 'plain' && status !== 'waiting') {
      const size = j.total ? ` (${formatBytes(j.total)})` : '';
      this.out.write(`${key}: ${status}${status === 'downloading' || status === 'uploading' ? size : ''}\n`);
    }
  }

  /** Count bytes moved over the network (for the total and rate). */
  addTransferred(n: number): void {
    this.transferred += n;
  }

  private lines(): string {
    let text = '';
    for (const j of this.jobs.values()) {
      switch (j.status) {
        case 'downloading':
        case 'uploading':
          text += `${j.key}:\t${j.status}\t${bar(j.total > 0 ? j.offset / j.total : 0)}\t${formatBytes(j.offset).slice(0, 8).padStart(8)}/${formatBytes(j.total)}\t\n`;
          break;
        case 'resolving':
        case 'waiting':
          text += `${j.key}:\t${j.status}\t${bar(0)}\t\n`;
          break;
        default:
          text += `${j.key}:\t${j.status}\t${bar(1)}\t\n`;
      }
    }
    return text;
  }

  private summary(): string {
    const secs = (Date.now() - this.started) / 1000;
    const rate = secs > 0 ? this.transferred / secs : 0;
    return `elapsed: ${secs.toFixed(1).padEnd(4)}s\ttotal: ${formatBytes(this.transferred).slice(0, 6).padStart(7)}\t(${formatBytes(rate)}/s)\t\n`;
  }

  private draw(): void {
    const frame = tabwriteText(this.lines() + this.summary(), { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' });
    const cols = (this.out as NodeJS.WriteStream).columns || 80;
    let prefix = '';
    if (this.drawnLines) prefix = `\x1b[${this.drawnLines}F\x1b[J`;
    this.out.write(prefix + frame);
    // Count physical lines (long lines wrap) so the next frame overwrites this one exactly.
    const visible = frame.replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, -1);
    this.drawnLines = visible.reduce((n, l) => n + Math.max(1, Math.ceil(l.length / cols)), 0);
  }

  /** Stop redrawing; print the final frame (terminal) or the summary line (plain). */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === 'tty') this.draw();
    else if (this.mode === 'plain') this.out.write(this.summary().replace(/\t/g, ' ').replace(/ \n$/, '\n'));
  }

  /** Stop without a final frame (on failure the error line follows). */
  abort(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
