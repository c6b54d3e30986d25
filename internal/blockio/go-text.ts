/** Go's ways of writing values into error text, for messages that read like ctr's. */

const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** fmt's %#v (strconv.Quote) of a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch in ESCAPES) out += ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** fmt's %v of a []string: "[a b c]". */
export const goList = (l: string[]) => `[${l.join(' ')}]`;

// Go's syscall.Errno texts where libuv words them differently (or not at all).
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
};

/** The errno text Go would print for a Node fs error ("no such file or directory"). */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code && err.code in ERRNO_TEXT) return ERRNO_TEXT[err.code];
  const m = /^[A-Z0-9]+: ([^,]+)/.exec(err.message ?? '');
  return m ? m[1] : String(err.message ?? e);
}

/** go-multierror's text on one line: "1 error occurred: a" / "2 errors occurred: a; b". */
export function multiError(errs: string[]): string {
  return `${errs.length} error${errs.length === 1 ? '' : 's'} occurred: ${errs.join('; ')}`;
}
