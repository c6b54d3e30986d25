/**
 * Go's path/filepath Glob and Match on Unix: `*` and `?` within one path
 * element, `[...]` classes with `^` negation and `a-z` ranges, `\` escapes,
 * matches in directory order (sorted), and "syntax error in pattern" for a
 * malformed pattern. goresctrl expands blockio Devices with it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** filepath.ErrBadPattern. */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

type Token = { t: 'star' } | { t: 'any' } | { t: 'lit'; c: string } | { t: 'class'; neg: boolean; ranges: [string, string][] };

// One pattern element as tokens; throws BadPatternError where Go's Match would.
function tokenize(pattern: string): Token[] {
  const cps = [...pattern];
  const out: Token[] = [];
  let i = 0;
  const esc = (): string => {
    const c = cps[i];
    if (c === undefined || c === '-' || c === ']') throw new BadPatternError();
    if (c === '\\') {
      i++;
      if (cps[i] === undefined) throw new BadPatternError();
    }
    return cps[i++];
  };
  while (i < cps.length) {
    const c = cps[i];
    if (c === '*') {
      out.push({ t: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ t: 'any' });
      i++;
    } else if (c === '\\') {
      if (i + 1 >= cps.length) throw new BadPatternError();
      out.push({ t: 'lit', c: cps[i + 1] });
      i += 2;
    } else if (c === '[') {
      i++;
      const neg = cps[i] === '^';
      if (neg) i++;
      const ranges: [string, string][] = [];
      for (;;) {
        if (cps[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = esc();
        let hi = lo;
        if (cps[i] === '-') {
          i++;
          hi = esc();
        }
        ranges.push([lo, hi]);
      }
      out.push({ t: 'class', neg, ranges });
    } else {
      out.push({ t: 'lit', c });
      i++;
    }
  }
  return out;
}

function matchTokens(toks: Token[], name: string[], ti = 0, ni = 0): boolean {
  while (ti < toks.length) {
    const tok = toks[ti];
    if (tok.t === 'star') {
      for (let k = ni; k <= name.length; k++) {
        if (k > ni && name[k - 1] === '/') break;
        if (matchTokens(toks, name, ti + 1, k)) return true;
      }
      return false;
    }
    const c = name[ni];
    if (c === undefined) return false;
    if (tok.t === 'any' && c === '/') return false;
    if (tok.t === 'lit' && tok.c !== c) return false;
    if (tok.t === 'class') {
      const cp = c.codePointAt(0)!;
      const inside = tok.ranges.some(([lo, hi]) => lo.codePointAt(0)! <= cp && cp <= hi.codePointAt(0)!);
      if (inside === tok.neg) return false;
    }
    ti++;
    ni++;
  }
  return ni === name.length;
}

/** filepath.Match(pattern, name). */
export function goMatch(pattern: string, name: string): boolean {
  return matchTokens(tokenize(pattern), [...name]);
}

const hasMeta = (p: string) => /[*?[\\]/.test(p);

function globDir(dir: string, pattern: string, into: string[]): void {
  const toks = tokenize(pattern);
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return;
    names = fs.readdirSync(dir);
  } catch {
    return; // Go ignores I/O errors here
  }
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const n of names) if (matchTokens(toks, [...n])) into.push(path.join(dir, n));
}

/** filepath.Glob(pattern): the existing paths it names, or BadPatternError. */
export function goGlob(pattern: string): string[] {
  tokenize(pattern); // validates the whole pattern first, as Go does
  if (!hasMeta(pattern)) {
    try {
      fs.lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const slash = pattern.lastIndexOf('/');
  let dir = pattern.slice(0, slash + 1);
  const file = pattern.slice(slash + 1);
  dir = dir === '' ? '.' : dir === '/' ? '/' : dir.slice(0, -1);
  const out: string[] = [];
  if (!hasMeta(dir)) {
    globDir(dir, file, out);
    return out;
  }
  if (dir === pattern) throw new BadPatternError();
  for (const d of goGlob(dir)) globDir(d, file, out);
  return out;
}
