/**
 * Display of Transfer-service progress like ctr 2.x's ProgressHandler: a tree
 * of the image's nodes (`index (c1c1d2118327)`, `manifest (…)`, `layer (…)`)
 * with their event, a bar and bytes, root descriptor lines and a status line
 * `Pulling from OCI Registry (<ref>)  elapsed: … total: … (…/s)`; repainted
 * on a terminal, plain lines per event change otherwise, nothing when quiet.
 */
import { tabwriteText } from '../output/tabwriter';
import { bar, formatBytes, type ProgressMode } from '../remotes/progress';
import { refKey } from '../remotes/reference';
import type { ProgressEvent } from './transfer';

interface Node {
  name: string;
  event: string;
  progress: number;
  total: number;
  mediaType?: string;
  parents: string[];
  children: string[];
}

/** Node names shortened as ctr does: `layer-sha256:<hex>` becomes `layer (<12 hex>)`. */
function label(n: Node): string {
  const m = /^([a-z]+)-sha256:([a-f0-9]{12})[a-f0-9]*$/.exec(n.name) ?? /^()sha256:([a-f0-9]{12})[a-f0-9]*$/.exec(n.name);
  if (!m) return n.name;
  return m[1] ? `${m[1]} (${m[2]})` : `(${m[2]})`;
}

const isBlob = (n: Node) => !!n.mediaType;

/** Tracks the daemon's progress events and draws them. */
export class TransferDisplay {
  private readonly nodes = new Map<string, Node>();
  private readonly roots: string[] = [];
  private readonly rootDescs: string[] = [];
  private readonly started = Date.now();
  private timer?: NodeJS.Timeout;
  private drawn = 0;
  private status: string;

  constructor(
    private readonly mode: ProgressMode,
    private readonly verb: 'pull' | 'push' | 'import',
    private readonly ref: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    this.status = verb === 'pull' ? `Pulling from OCI Registry (${ref})` : verb === 'push' ? `Pushing to OCI Registry (${ref})` : 'Importing';
    // The daemon sends the final status line itself; this is the fallback.
    if (mode === 'tty') {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  /** Take one event. */
  handle(e: ProgressEvent): void {
    if (!e.name) {
      // Nameless events are the transfer's own status ("Pulling from OCI Registry (…)").
      this.status = e.event;
      if (this.mode === 'plain') this.out.write(`${e.event}\n`);
      return;
    }
    let n = this.nodes.get(e.name);
    if (!n) {
      n = { name: e.name, event: '', progress: 0, total: 0, parents: e.parents ?? [], children: [] };
      this.nodes.set(e.name, n);
      if (!n.parents.length) this.roots.push(e.name);
      for (const p of n.parents) {
        const parent = this.nodes.get(p);
        if (parent && !parent.children.includes(e.name)) parent.children.push(e.name);
      }
    }
    const changed = n.event !== e.event;
    if (e.event) n.event = e.event;
    if (Number(e.progress)) n.progress = Number(e.progress);
    if (Number(e.total)) n.total = Number(e.total);
    if (e.desc?.media_type) {
      n.mediaType = e.desc.media_type;
      // The image's own descriptor (a child of the reference node) is listed under the tree.
      const line = `${e.desc.media_type} ${e.desc.digest}`;
      if (n.parents.length && n.parents.every((p) => this.roots.includes(p)) && !this.rootDescs.includes(line)) this.rootDescs.push(line);
    }
    if (this.mode === 'plain' && changed && e.event && e.event !== 'waiting') {
      const bytes = n.total && isBlob(n) && !/complete|exists|saved|extracted/.test(e.event) ? ` ${formatBytes(n.progress)}/${formatBytes(n.total)}` : '';
      this.out.write(`${label(n)}: ${e.event}${bytes}\n`);
    }
  }

  private totals(): number {
    let t = 0;
    for (const n of this.nodes.values()) if (isBlob(n)) t += n.progress;
    return t;
  }

  private summary(): string {
    const secs = (Date.now() - this.started) / 1000;
    const total = this.totals();
    return `${this.status}\telapsed: ${secs.toFixed(1)} s\ttotal: ${formatBytes(total).slice(0, 6).padStart(7)}\t(${formatBytes(secs > 0 ? total / secs : 0)}/s)\t\n`;
  }

  private tree(): string {
    let text = '';
    const walk = (name: string, prefix: string, last: boolean, depth: number, seen: Set<string>) => {
      const n = this.nodes.get(name);
      if (!n || seen.has(name)) return;
      seen.add(name);
      const head = depth === 0 ? '' : `${prefix}${last ? '└──' : '├──'}`;
      let cols = `${head}${label(n)}\t${n.event}\t`;
      if (isBlob(n)) {
        const frac = /complete|exists|done|extracted|already/.test(n.event) ? 1 : n.total ? n.progress / n.total : 0;
        cols += `${bar(frac)}\t`;
        if (n.total && frac < 1) cols += `${formatBytes(n.progress)}/${formatBytes(n.total)}\t`;
      }
      text += `${cols}\n`;
      const childPrefix = depth === 0 ? '' : `${prefix}${last ? '   ' : '│  '}`;
      n.children.forEach((c, i) => walk(c, childPrefix, i === n.children.length - 1, depth + 1, seen));
    };
    for (const r of this.roots) walk(r, '', true, 0, new Set());
    return text;
  }

  private draw(): void {
    const body = tabwriteText(this.tree(), { minwidth: 1, tabwidth: 8, padding: 1, padchar: ' ' });
    const frame = body + this.rootDescs.map((d) => `${d}\n`).join('') + this.summary();
    const cols = (this.out as NodeJS.WriteStream).columns || 80;
    this.out.write((this.drawn ? `\x1b[${this.drawn}F\x1b[J` : '') + frame);
    const lines = frame.replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, -1);
    this.drawn = lines.reduce((k, l) => k + Math.max(1, Math.ceil([...l].length / cols)), 0);
  }

  /** Final frame (terminal) or summary line (plain). */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === 'tty') this.draw();
    else if (this.mode === 'plain') {
      // The status line was printed when it came; add the totals.
      this.out.write(this.summary().slice(this.status.length + 1).replace(/\t/g, ' ').replace(/ \n$/, '\n'));
    }
  }

  /** Stop without a final frame. */
  abort(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
