/**
 * Tables laid out like Go's text/tabwriter as ctr configures it: every cell
 * that ends with a tab is padded to its column's width; a line's last cell
 * without a tab is left as it is. Space-padded tables are rendered with
 * cli-table3 (borderless); tab-padded ones (ctr's `content ls`) pad with tabs
 * to tab stops exactly as tabwriter does.
 */

export interface TabwriterOptions {
  /** Minimal cell width including padding. */
  minwidth: number;
  /** Tab stop width when padding with tabs. */
  tabwidth: number;
  /** Added to the widest cell of each column. */
  padding: number;
  padchar: ' ' | '\t';
}

/** A line: its cells, and whether the last cell is tab-terminated (padded) too. */
export interface Line {
  cells: string[];
  terminated: boolean;
}

const width = (s: string) => [...s].length;

/**
 * Render text written with tab-terminated cells exactly as Go's tabwriter
 * does (a port of its column-block algorithm): a column is aligned across
 * the consecutive lines that have a terminated cell in it.
 */
export function tabwriteText(text: string, opts: TabwriterOptions): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  // A trailing newline leaves an empty last line that tabwriter does not print.
  const last = lines.length - 1;
  const widths: number[] = [];
  let result = '';
  const pad = (textw: number, cellw: number) => {
    if (opts.padchar === '\t') {
      const full = Math.ceil(cellw / opts.tabwidth) * opts.tabwidth;
      return '\t'.repeat(Math.ceil((full - textw) / opts.tabwidth));
    }
    return ' '.repeat(Math.max(0, cellw - textw));
  };
  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i];
      line.forEach((c, j) => {
        result += c;
        // Only terminated cells are padded; a line's last cell never is.
        if (j < line.length - 1) result += pad(width(c), widths[j]);
      });
      if (i !== last) result += '\n';
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = opts.minwidth;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]) + opts.padding);
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return result;
}

/** Render lines (cells, and whether the last is tab-terminated) as tabwriter would. */
export function tabwrite(lines: Line[], opts: TabwriterOptions): string {
  const text = lines.map((l) => l.cells.join('\t') + (l.terminated ? '\t' : '') + '\n').join('');
  return tabwriteText(text, opts);
}

/**
 * A ctr-style table: a header and rows, all cells tab-terminated unless
 * `rowsTerminated` is false (ctr's `tasks ls` rows end without a tab).
 */
export function table(
  header: string[],
  rows: string[][],
  opts: TabwriterOptions,
  { headerTerminated = true, rowsTerminated = true } = {},
): string {
  if (opts.padchar === '\t' || !rowsTerminated || !headerTerminated) {
    return tabwrite(
      [{ cells: header, terminated: headerTerminated }, ...rows.map((cells) => ({ cells, terminated: rowsTerminated }))],
      opts,
    );
  }
  return spaceTable([header, ...rows], opts);
}

// The common case, all cells padded with spaces: cli-table3 without borders,
// colour or left padding, and right padding equal to tabwriter's.
function spaceTable(rows: string[][], opts: TabwriterOptions): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Table = require('cli-table3') as typeof import('cli-table3');
  const cols = Math.max(...rows.map((r) => r.length));
  const colWidths = Array.from({ length: cols }, (_, c) =>
    Math.max(opts.minwidth, ...rows.map((r) => (r[c] === undefined ? 0 : width(r[c]) + opts.padding))),
  );
  const t = new Table({
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths,
    wordWrap: false,
    truncate: '',
  });
  for (const r of rows) t.push(r.map((c) => c ?? ''));
  // cli-table3 fills each cell to its column width; that is tabwriter's padding.
  return t.toString().split('\n').map((l) => l + '\n').join('');
}
