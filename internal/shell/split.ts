/**
 * Command lines split into words the way a POSIX shell does: blanks separate
 * words, single quotes keep everything, double quotes keep everything but
 * backslash escapes of " \ $ and `, a backslash outside quotes takes the next
 * character literally, and # at the start of a word begins a comment.
 */

export interface SplitResult {
  words: string[];
  /** Set when the line ends inside quotes (an error unless splitting for completion). */
  openQuote?: '"' | "'";
  /** True when the line ends in a blank (completion then starts a new word). */
  trailingBlank: boolean;
}

/** Split a line; unterminated quotes are reported in openQuote, not thrown. */
export function splitLine(line: string): SplitResult {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let i = 0;
  const blank = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < line.length) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) {
        if (line[i + 1] !== '\n') cur += line[i + 1];
        i++;
      } else cur += c;
      i++;
      continue;
    }
    if (blank(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') {
      if (i + 1 < line.length) {
        if (line[i + 1] !== '\n') cur += line[i + 1];
        i++;
      }
    } else cur += c;
    i++;
  }
  if (inWord) words.push(cur);
  const trailingBlank = !inWord && !quote && line.length > 0 && blank(line[line.length - 1]);
  return { words, openQuote: quote, trailingBlank };
}

/** Split a complete command line; an unterminated quote is an error. */
export function splitWords(line: string): string[] {
  const r = splitLine(line);
  if (r.openQuote) throw new Error(`unterminated ${r.openQuote === '"' ? 'double' : 'single'} quote`);
  return r.words;
}

/** The words of a line being completed: the last one is the word under the cursor ('' after a blank). */
export function completionWords(line: string): string[] {
  const r = splitLine(line);
  const words = [...r.words];
  if (!words.length || r.trailingBlank) words.push('');
  return words;
}

/** Quote a word for a shell line if it needs it. */
export function quoteWord(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}
